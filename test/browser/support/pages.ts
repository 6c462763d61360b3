import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { PROJECT } from './dev-entry';

/**
 * `SCREENSHOTS_DIR=docs/screenshots npm run test:browser` (npm run docs:screenshots) also saves the pictures of
 * the README; a plain run saves none.
 */
export async function screenshot(what: Page | Locator, name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS_DIR;
  if (!dir) return;
  mkdirSync(resolve(dir), { recursive: true });
  // A page: its content only, not the empty rest of the window (smaller pictures).
  const target = 'goto' in what ? what.locator('body') : what;
  await target.screenshot({ path: resolve(dir, `${name}.png`) });
}

/** The provider's authorize URL from the redirect operation, as a client would get it. */
export async function redirectUrl(
  serviceUrl: string,
  repoType: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(`${serviceUrl}/v1/${PROJECT}/git/auths/${repoType}/redirect`, {
    headers,
  });
  if (res.status !== 200) throw new Error(`redirect answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** At a sandbox provider: sign in as `login` when it asks, then press a button of its consent page. */
export async function consentAtSandbox(
  page: Page,
  login: string,
  button: 'Authorize' | 'Cancel',
  shots: { signIn?: string; consent?: string } = {},
): Promise<void> {
  const signIn = page.getByRole('button', { name: 'Sign in' });
  await page
    .getByRole('button', { name: /^(Sign in|Authorize)$/ })
    .first()
    .waitFor();
  if (await signIn.isVisible()) {
    await page.selectOption('#login', login);
    if (shots.signIn) await screenshot(page, shots.signIn);
    await signIn.click();
  }
  await page.getByRole('button', { name: 'Authorize' }).waitFor();
  if (shots.consent) await screenshot(page, shots.consent);
  await page.getByRole('button', { name: button }).click();
}
