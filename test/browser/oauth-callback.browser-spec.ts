import type { Browser, Page } from 'playwright-core';
import { SANDBOX_LOGIN, SANDBOX_PERSONAL_TOKEN } from '../../src/git-auth/dto/examples';
import { REPO_TYPES } from '../../src/git-auth/providers/registered-providers';
import { signJwt } from '../support/jwt';
import { eventually } from '../support/poll';
import { isolatedContext, launchChromium } from './support/chromium';
import { PROJECT, startDevEntry, type DevEntry } from './support/dev-entry';
import { consentAtSandbox, redirectUrl, screenshot } from './support/pages';

const JWT_SECRET = 'browser-test-jwt-secret-of-at-least-32-bytes';

interface Seen {
  code: string;
  state: string;
}

/** The code and state the provider sent the browser back with, as the callback page's own request carried them. */
function watchCallback(page: Page): Seen {
  const seen: Seen = { code: '', state: '' };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/oauth/callback' || !url.searchParams.has('code')) return;
    seen.code = url.searchParams.get('code') ?? '';
    seen.state = url.searchParams.get('state') ?? '';
  });
  return seen;
}

/** Nothing secret anywhere a browser keeps or shows things, nor in the service's output. */
async function expectNowhere(page: Page, entry: DevEntry, secrets: string[]): Promise<void> {
  // The access-log line of the callback page's own request has been written before we look.
  await eventually(() => entry.output.some((l) => l.includes('/oauth/callback?code=[redacted]')));
  const url = page.url();
  const html = await page.content();
  // Evaluated in the page (a string: the tests are compiled without the DOM's types).
  const storage = await page.evaluate<string>(
    'JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })',
  );
  const cookies = JSON.stringify(await page.context().cookies());
  const output = entry.output.join('\n');
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    for (const [where, text] of Object.entries({ url, html, storage, cookies, output }))
      expect(`${where}: ${text.includes(secret) ? 'contains a secret' : 'clean'}`).toBe(
        `${where}: clean`,
      );
  }
}

async function listed(entry: DevEntry, headers: Record<string, string> = {}) {
  const res = await fetch(`${entry.url}/v1/${PROJECT}/git/auths`, { headers });
  return ((await res.json()) as { authorizations: Record<string, unknown>[] }).authorizations;
}

describe('OAuth in Chromium: redirect → sandbox sign-in and consent → callback page → list', () => {
  let entry: DevEntry;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    entry = await startDevEntry();
  });

  afterAll(async () => {
    await browser?.close();
    await entry?.stop();
  });

  async function newPage() {
    const { context, outside } = await isolatedContext(browser);
    return { page: await context.newPage(), outside };
  }

  it.each(REPO_TYPES)('%s: approve, name it, see it in the list', async (repoType) => {
    const { page, outside } = await newPage();
    const seen = watchCallback(page);
    const first = repoType === REPO_TYPES[0];
    await page.goto(await redirectUrl(entry.url, repoType));
    await consentAtSandbox(
      page,
      SANDBOX_LOGIN,
      'Authorize',
      first ? { signIn: 'sandbox-sign-in', consent: 'sandbox-consent' } : {},
    );
    await page.locator('#form').waitFor();
    expect(page.url()).toBe(`${entry.url}/oauth/callback`);
    expect(await page.inputValue('#name')).toBe(`my-${repoType}`);
    if (first) await screenshot(page, 'callback-page');

    const name = `browser-${repoType}`;
    await page.fill('#name', name);
    await page.getByRole('button', { name: 'Create the authorization' }).click();
    await page.locator('#result').waitFor();
    if (first) await screenshot(page, 'callback-page-done');

    expect(await page.locator('#list tr.new td').first().textContent()).toBe(name);
    expect((await listed(entry)).find((a) => a.name === name)).toMatchObject({
      repo_type: repoType,
      repo_user: SANDBOX_LOGIN,
      token_type: 'oauth',
      status: 0,
    });
    await expectNowhere(page, entry, [seen.code, seen.state]);
    expect(outside).toEqual([]);

    // The same code and state once more (a reload of the old address): refused, in plain words.
    await page.goto(`${entry.url}/oauth/callback?code=${seen.code}&state=${seen.state}`);
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-text')).toMatch(
      /already used.*Start the authorization again/,
    );
    expect(await page.locator('#form').isHidden()).toBe(true);
    await page.context().close();
  });

  it('Cancel at the provider: the page says so, and nothing is connected', async () => {
    const { page } = await newPage();
    const before = (await listed(entry)).length;
    await page.goto(await redirectUrl(entry.url, 'gitlab'));
    await consentAtSandbox(page, 'bob', 'Cancel');
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-text')).toContain('You cancelled at GitLab');
    expect(page.url()).toBe(`${entry.url}/oauth/callback`);
    expect(await listed(entry)).toHaveLength(before);
    await page.context().close();
  });

  it('a name already taken: the page explains, and another name completes the same flow', async () => {
    const taken = await fetch(`${entry.url}/v1/${PROJECT}/git/auths/gitea/personal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'taken-name', token: SANDBOX_PERSONAL_TOKEN }),
    });
    expect(taken.status).toBe(200);
    const { page } = await newPage();
    await page.goto(await redirectUrl(entry.url, 'gitea'));
    await consentAtSandbox(page, SANDBOX_LOGIN, 'Authorize');
    await page.fill('#name', 'taken-name');
    await page.getByRole('button', { name: 'Create the authorization' }).click();
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-text')).toContain(
      'already has an authorization named "taken-name"',
    );
    await page.fill('#name', 'free-name');
    await page.getByRole('button', { name: 'Create the authorization' }).click();
    await page.locator('#result').waitFor();
    expect((await listed(entry)).map((a) => a.name)).toEqual(
      expect.arrayContaining(['taken-name', 'free-name']),
    );
    await page.context().close();
  });
});

describe('the callback page with AUTH_MODE=iam: it asks for the X-Auth-Token and keeps it nowhere', () => {
  let entry: DevEntry;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    entry = await startDevEntry({ AUTH_MODE: 'iam', AUTH_JWT_SECRET: JWT_SECRET });
  });

  afterAll(async () => {
    await browser?.close();
    await entry?.stop();
  });

  it('a wrong token is refused in plain words, the right one completes the flow', async () => {
    const key = new TextEncoder().encode(JWT_SECRET);
    const token = await signJwt({ project_id: [PROJECT] }, { alg: 'HS256', key });
    const otherProject = await signJwt({ project_id: ['another-project'] }, { alg: 'HS256', key });
    const { context, outside } = await isolatedContext(browser);
    const page = await context.newPage();
    const seen = watchCallback(page);
    await page.goto(await redirectUrl(entry.url, 'github', { 'x-auth-token': token }));
    await consentAtSandbox(page, SANDBOX_LOGIN, 'Authorize');
    await page.locator('#token').waitFor();

    await page.fill('#token', otherProject);
    await page.getByRole('button', { name: 'Create the authorization' }).click();
    await page.locator('#error').waitFor();
    expect(await page.textContent('#error-text')).toContain(
      `does not give access to project ${PROJECT}`,
    );

    await page.fill('#token', token);
    await page.getByRole('button', { name: 'Create the authorization' }).click();
    await page.locator('#result').waitFor();
    expect(await page.inputValue('#token')).toBe('');
    expect(await page.locator('#list tr.new td').first().textContent()).toBe('my-github');
    expect((await listed(entry, { 'x-auth-token': token })).map((a) => a.name)).toContain(
      'my-github',
    );
    await expectNowhere(page, entry, [seen.code, seen.state, token, otherProject]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
