import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthConfig } from '../config/auth.config';
import { AUTHORIZATION_NAME_PATTERN, AUTHORIZATION_NAME_RULE } from '../git-auth/domain/names';
import { PROVIDERS } from '../git-auth/providers/registered-providers';

/** Copied next to the compiled code by the build (nest-cli.json `assets`). */
const ASSETS = join(__dirname, 'assets');

/**
 * The page runs our script and style only, talks to this origin only, and cannot be framed or submit a form
 * natively (a failed script cannot put the code into a URL); it sends no Referer, which would carry the code and
 * state of its own address to its script and style requests.
 */
export const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

/** What the page's script needs to know about this service: nothing secret, the same for every visitor. */
export interface PageConfig {
  /** How the page authenticates the oauth call: not at all, with a pasted X-Auth-Token, or it cannot. */
  callerToken: 'none' | 'x-auth-token' | 'unavailable';
  providers: Record<string, string>;
  namePattern: string;
  nameRule: string;
  /** Swagger UI, relative to the page, when served. */
  docs: string | null;
}

export function pageConfig(auth: AuthConfig, docsEnabled: boolean): PageConfig {
  const callerToken = auth.mode === 'none' ? 'none' : auth.jwt ? 'x-auth-token' : 'unavailable';
  return {
    callerToken,
    providers: Object.fromEntries(PROVIDERS.map((p) => [p.repoType, p.displayName])),
    namePattern: AUTHORIZATION_NAME_PATTERN.source,
    nameRule: AUTHORIZATION_NAME_RULE,
    docs: docsEnabled ? '../docs' : null,
  };
}

export interface CallbackPageAssets {
  readonly html: string;
  readonly script: string;
  readonly style: string;
}

/** Reads the assets once; the configuration goes into the HTML as a JSON data block (not executed). */
export function loadCallbackPage(config: PageConfig): CallbackPageAssets {
  const read = (file: string) => readFileSync(join(ASSETS, file), 'utf8');
  // `<` escaped: nothing in the data can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return {
    html: read('callback.html').replace('"__PAGE_CONFIG__"', () => json),
    script: read('callback.js'),
    style: read('callback.css'),
  };
}
