import { startStack, type Stack } from '../support/stack';
import { KINDS, USER } from '../support/providers';
import { CONSENT_PATH, SIGN_IN_PATH } from './consent-pages';

const PROJECT = '0123456789abcdef0123456789abcdef';

/** The hidden inputs of an HTML form, as a browser would submit them. */
function hiddenFields(html: string): Record<string, string> {
  const unescape = (v: string) => v.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(+c));
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    fields[unescape(m[1])] = unescape(m[2]);
  return fields;
}

/** What a browser does at a fake with interactive consent, one request at a time (no redirects followed). */
class Browser {
  private cookie = '';

  constructor(private readonly origin: string) {}

  async get(url: string): Promise<Response> {
    return fetch(url, { headers: { cookie: this.cookie }, redirect: 'manual' });
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.origin}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return res;
  }
}

describe('fake providers: sign-in and consent pages for a browser (the sandbox)', () => {
  let s: Stack;

  beforeAll(async () => {
    s = await startStack();
    for (const fake of Object.values(s.providers.fakes)) fake.interactiveConsent = true;
  });

  afterAll(async () => {
    await s?.stop();
  });

  async function authorizeUrl(kind: string): Promise<string> {
    const res = await s.t.request<{ url: string }>(
      'GET',
      `/v1/${PROJECT}/git/auths/${kind}/redirect`,
    );
    expect(res.status).toBe(200);
    return res.body.url;
  }

  /** Sign in, then the consent page: its form's fields. */
  async function consentForm(
    kind: string,
  ): Promise<{ browser: Browser; fields: Record<string, string> }> {
    const fake = s.providers.fakes[kind];
    const browser = new Browser(fake.webUrl);
    const url = await authorizeUrl(kind);
    const signIn = await browser.get(url);
    const signInHtml = await signIn.text();
    expect(signInHtml).toContain(`action="${SIGN_IN_PATH}"`);
    expect(signInHtml).toContain(`<option value="${USER}">`);
    const signedIn = await browser.post(SIGN_IN_PATH, { ...hiddenFields(signInHtml), login: USER });
    expect(signedIn.status).toBe(303);
    const back = new URL(signedIn.headers.get('location') ?? '', fake.webUrl).href;
    expect(back).toBe(url);
    const consent = await browser.get(back);
    expect(consent.status).toBe(200);
    const html = await consent.text();
    expect(html).toContain(`action="${CONSENT_PATH}"`);
    expect(html).toMatch(/>Authorize<\/button>/);
    expect(html).toMatch(/>Cancel<\/button>/);
    return { browser, fields: hiddenFields(html) };
  }

  it.each(KINDS)('%s: sign in, Authorize, and the code completes the flow', async (kind) => {
    const { browser, fields } = await consentForm(kind);
    const approved = await browser.post(CONSENT_PATH, { ...fields, decision: 'approve' });
    expect(approved.status).toBe(302);
    const location = new URL(approved.headers.get('location') ?? '');
    const code = location.searchParams.get('code') ?? '';
    const state = location.searchParams.get('state') ?? '';
    const created = await s.t.request('POST', `/v1/${PROJECT}/git/auths/${kind}/oauth`, {
      body: { name: `consent-${kind}`, code, state },
    });
    expect(created.status).toBe(200);
  });

  it('Cancel sends the provider’s access_denied back to the redirect URI', async () => {
    const { browser, fields } = await consentForm('github');
    const denied = await browser.post(CONSENT_PATH, { ...fields, decision: 'deny' });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('state')).toBe(fields.state);
  });

  it('a consent form is answered once, and only by the user it was shown to', async () => {
    const { browser, fields } = await consentForm('github');
    expect((await browser.post(CONSENT_PATH, { ...fields, decision: 'approve' })).status).toBe(302);
    expect((await browser.post(CONSENT_PATH, { ...fields, decision: 'approve' })).status).toBe(403);

    const other = await consentForm('github');
    const stranger = new Browser(s.providers.fakes.github.webUrl);
    const refused = await stranger.post(CONSENT_PATH, { ...other.fields, decision: 'approve' });
    expect(refused.status).toBe(403);
  });

  it('goes back only to a path of its own after signing in', async () => {
    const browser = new Browser(s.providers.fakes.github.webUrl);
    const res = await browser.post(SIGN_IN_PATH, { login: USER, return_to: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/');
  });
});
