/**
 * Loaded with `--require` into an arm when the bench profiles (BENCH_PROFILE=1); never part of a measured run.
 * The bench drives the V8 sampling profiler of the arm's main thread over the IPC channel: {profile: 'start'}
 * then {profile: 'stop', file}, answered with {profiled: 'started' | 'stopped'}. With
 * BENCH_PROFILE_FROM_START=1 the profiler runs from before the arm's first module loads (start-up profile).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const SAMPLING_INTERVAL_US = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 1000);
const session = new Session();
session.connect();

type Done = (error: Error | null, result?: unknown) => void;

/**
 * Starts the profiler. An in-thread session answers synchronously, so with callbacks (not promises) the
 * profiler runs before this preload returns, that is before the arm's first module loads.
 */
function start(done: Done): void {
  session.post('Profiler.enable', (error) => {
    if (error) return done(error);
    session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US }, (error) => {
      if (error) return done(error);
      session.post('Profiler.start', done);
    });
  });
}

function stop(file: string, done: Done): void {
  session.post('Profiler.stop', (error, result) => {
    if (error) return done(error);
    writeFileSync(file, JSON.stringify(result.profile));
    done(null);
  });
}

/** A profiler that fails must stop the arm loudly: the bench then reports that it exited. */
function orThrow(then: () => void): Done {
  return (error) => {
    if (error) throw error;
    then();
  };
}

if (process.env.BENCH_PROFILE_FROM_START === '1') start(orThrow(() => undefined));

process.on('message', (message: { profile?: string; file?: string }) => {
  const answer = (profiled: string) => () => process.send?.({ profiled });
  if (message.profile === 'start') start(orThrow(answer('started')));
  if (message.profile === 'stop' && message.file) stop(message.file, orThrow(answer('stopped')));
});
// The channel must not keep an arm alive once it is asked to stop.
process.channel?.unref();
