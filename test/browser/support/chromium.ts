import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (apt), driven by playwright-core; no browser is ever downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * The flags that work on these machines, and a host resolver that knows 127.0.0.1 only: whatever a page
 * links to, the browser never asks a DNS server.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}, and the browser tests need it. Install Debian's ` +
        'package (`apt-get install -y chromium`, as .ci/run does) or point CHROMIUM_PATH at a Chromium ' +
        'binary. Do not run `npx playwright install`: it downloads a browser, which fails here.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS });
}

/**
 * A fresh browser profile (no cookies, no storage) that may load 127.0.0.1 only; anything else is refused and
 * remembered in `outside`, which a test expects to stay empty.
 */
export async function isolatedContext(
  browser: Browser,
): Promise<{ context: BrowserContext; outside: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  const outside: string[] = [];
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => {
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  return { context, outside };
}
