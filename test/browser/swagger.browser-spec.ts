import type { OpenAPIObject } from '@nestjs/swagger';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  EXAMPLE_PROJECT_ID,
  SANDBOX_LOGIN,
  SANDBOX_PERSONAL_TOKEN,
} from '../../src/git-auth/dto/examples';
import { isolatedContext, launchChromium } from './support/chromium';
import { startDevEntry, type DevEntry } from './support/dev-entry';
import { consentAtSandbox, redirectUrl, screenshot } from './support/pages';

interface Operation {
  method: string;
  path: string;
  operationId: string;
  tag: string;
}

/** Every operation of the document, in its order: operations added later are exercised too. */
function operations(document: OpenAPIObject): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId: string; tags: string[] }>).map(
      ([method, op]) => ({ method, path, operationId: op.operationId, tag: op.tags[0] }),
    ),
  );
}

/**
 * Swagger UI's Try-it-out on every operation, with what it pre-fills, against the sandbox: each must succeed.
 * What needs state gets it first: a name-addressed or X-Repo-Auth operation an authorization of its example
 * name, the oauth operation a code and state from a real consent (its example's code and state are placeholders).
 */
describe('Swagger UI: every operation’s example succeeds when executed', () => {
  let entry: DevEntry;
  let browser: Browser;
  let document: OpenAPIObject;

  beforeAll(async () => {
    browser = await launchChromium();
    entry = await startDevEntry();
    document = (await (await fetch(`${entry.url}/docs-json`)).json()) as OpenAPIObject;
  });

  afterAll(async () => {
    await browser?.close();
    await entry?.stop();
  });

  /** An authorization of this name exists in the example project (made with the sandbox's personal token). */
  async function ensureAuthorization(name: string): Promise<void> {
    const base = `${entry.url}/v1/${EXAMPLE_PROJECT_ID}/git/auths`;
    const list = (await (await fetch(base)).json()) as { authorizations: { name: string }[] };
    if (list.authorizations.some((a) => a.name === name)) return;
    const created = await fetch(`${base}/github/personal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, token: SANDBOX_PERSONAL_TOKEN }),
    });
    expect(created.status).toBe(200);
  }

  /**
   * A code and state for `repoType`, from the sandbox's consent. The callback page opens but is not used: it
   * looks the state up without spending it.
   */
  async function freshGrant(
    page: Page,
    repoType: string,
  ): Promise<{ code: string; state: string }> {
    const grant = { code: '', state: '' };
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname !== '/oauth/callback' || !url.searchParams.has('code')) return;
      grant.code = url.searchParams.get('code') ?? '';
      grant.state = url.searchParams.get('state') ?? '';
    });
    await page.goto(await redirectUrl(entry.url, repoType));
    await consentAtSandbox(page, SANDBOX_LOGIN, 'Authorize');
    await page.locator('#form').waitFor();
    await page.close();
    return grant;
  }

  /** Execute, then the status Swagger UI shows (and the body, when it is not a success). */
  async function execute(block: Locator): Promise<string> {
    await block.locator('button.execute').click();
    const response = block.locator('.live-responses-table .response').first();
    await response.waitFor();
    const status = (await response.locator('.response-col_status').textContent())?.trim() ?? '';
    if (status.startsWith('2')) return status;
    const body = await response.locator('.response-col_description pre').first().textContent();
    return `${status} ${body?.replace(/\s+/g, ' ')}`;
  }

  // One Execute per operation, each a real request (about 3 s apiece on a loaded 2-core machine): the default 30 s
  // was already tight for the 19 operations before issue 12 added the audit list and nine writes.
  it('runs Try it out on each operation of the OpenAPI document', async () => {
    const { context, outside } = await isolatedContext(browser);
    const page = await context.newPage();
    await page.goto(`${entry.url}/docs`);
    const results: string[] = [];
    for (const op of operations(document)) {
      const block = page.locator(`#operations-${op.tag.replace(/ /g, '_')}-${op.operationId}`);
      await block.locator('.opblock-summary-control').click();
      await block.locator('.try-out__btn').click();

      const nameParam = block.locator('tr[data-param-name="name"] input');
      if ((await nameParam.count()) > 0) await ensureAuthorization(await nameParam.inputValue());
      // The repository operations act through the authorization their X-Repo-Auth example names.
      const repoAuth = block.locator('tr[data-param-name="X-Repo-Auth"] input');
      if ((await repoAuth.count()) > 0) await ensureAuthorization(await repoAuth.inputValue());
      const body = block.locator('textarea.body-param__text');
      const prefilled =
        (await body.count()) > 0 ? (JSON.parse(await body.inputValue()) as object) : {};
      if ('code' in prefilled && 'state' in prefilled) {
        const repoType = await block.locator('tr[data-param-name="repo_type"] select').inputValue();
        const grant = await freshGrant(await context.newPage(), repoType);
        await body.fill(JSON.stringify({ ...prefilled, ...grant }, null, 2));
      }
      const status = await execute(block);
      results.push(`${op.method.toUpperCase()} ${op.path} (${op.operationId}): ${status}`);
      if (op.operationId === 'showRedirectUrl')
        await screenshot(block.locator('.live-responses-table'), 'swagger-redirect');
      // Collapsed again, so that the next operation's block is where the page scrolls.
      await block.locator('.opblock-summary-control').click();
    }
    expect(results.filter((r) => !/: 2\d\d$/.test(r))).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    expect(results).toHaveLength(operations(document).length);
    expect(outside).toEqual([]);
    await context.close();
  }, 180_000);

  it('keeps what was entered with Authorize across a reload (persistAuthorization)', async () => {
    const { context } = await isolatedContext(browser);
    const page = await context.newPage();
    await page.goto(`${entry.url}/docs`);
    const authorize = page.locator('.auth-wrapper button.authorize');
    expect(await authorize.getAttribute('class')).toContain('unlocked');
    await authorize.click();
    const xAuthToken = page.locator('.dialog-ux .auth-container').first();
    await xAuthToken.locator('input').fill('a-token-typed-into-swagger-ui');
    await xAuthToken.locator('button.authorize').click();
    await xAuthToken.locator('button.btn-done').click();
    await page.reload();
    await authorize.waitFor();
    expect(await authorize.getAttribute('class')).toMatch(/\blocked\b/);
    await context.close();
  });
});
