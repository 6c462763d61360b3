import { Logger } from '@nestjs/common';
import { BackgroundWork } from './background-work';

function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('BackgroundWork', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('returns the tracked promise unchanged and forgets it once settled', async () => {
    const work = new BackgroundWork();
    const d = deferred<number>();
    const tracked = work.track('answer', d.promise);
    expect(work.size).toBe(1);
    d.resolve(42);
    await expect(tracked).resolves.toBe(42);
    await Promise.resolve();
    expect(work.size).toBe(0);
  });

  it('drains work that settles in time, failures included, and work started while draining', async () => {
    const work = new BackgroundWork();
    const a = deferred();
    const b = deferred();
    const c = deferred();
    work.track('a', a.promise).catch(() => undefined);
    void work.track('b', b.promise);
    const draining = work.drain(Date.now() + 5_000);
    a.reject(new Error('upstream failed'));
    void work.track('c', c.promise);
    b.resolve();
    setTimeout(() => c.resolve(), 20);
    await expect(draining).resolves.toEqual({ finished: 3, abandoned: [] });
  });

  it('gives up at the deadline and names what was left', async () => {
    const work = new BackgroundWork();
    void work.track('stuck revocation', new Promise(() => undefined));
    const started = Date.now();
    const result = await work.drain(started + 50);
    expect(result).toEqual({ finished: 0, abandoned: ['stuck revocation'] });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('run() logs a failure instead of leaving a rejection unhandled', async () => {
    const work = new BackgroundWork();
    work.run('fails', () => Promise.reject(new Error('boom')));
    await expect(work.drain(Date.now() + 1_000)).resolves.toEqual({ finished: 1, abandoned: [] });
  });
});
