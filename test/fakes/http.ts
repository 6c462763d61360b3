import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Stateless HTTP plumbing shared by the fake providers: body parsing the way each provider's framework does it
 * (Rails merges JSON/form bodies, Django reads form bodies only), response writers and credential parsing.
 */

export type Params = Record<string, string>;

/** Far above any OAuth request; a bigger body is a client bug the test should see as 413, not a hang. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep draining (dropping) the rest so the 413 can still be written back.
        reject(new BodyTooLargeError(`body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** First value of a request header (Node lower-cases names). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function mediaType(req: IncomingMessage): string {
  return (header(req, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

export function searchParamsToObject(params: URLSearchParams): Params {
  const out: Params = {};
  // First occurrence wins, like Rack for non-array keys.
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

export function parseForm(body: string): Params {
  return searchParamsToObject(new URLSearchParams(body));
}

/** A JSON object body flattened to strings (numbers/booleans stringified, nested values dropped). */
export function parseJsonObject(body: string): Params | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const out: Params = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** Body parameters by Content-Type: form always, JSON only when the provider's framework parses it. */
export function bodyParams(req: IncomingMessage, body: string, acceptJson: boolean): Params {
  const type = mediaType(req);
  if (type === 'application/x-www-form-urlencoded') return parseForm(body);
  if (acceptJson && type === 'application/json') return parseJsonObject(body) ?? {};
  return {};
}

export function basicAuth(req: IncomingMessage): { user: string; pass: string } | undefined {
  const auth = splitAuthorization(req);
  if (auth?.scheme !== 'basic') return undefined;
  const decoded = Buffer.from(auth.value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: client credentials in Basic are form-urlencoded before base64.
  const unescape = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { user: unescape(decoded.slice(0, colon)), pass: unescape(decoded.slice(colon + 1)) };
}

/** `Authorization: <scheme> <value>` with the scheme lower-cased. */
export function splitAuthorization(
  req: IncomingMessage,
): { scheme: string; value: string } | undefined {
  const raw = header(req, 'authorization')?.trim();
  if (!raw) return undefined;
  const space = raw.indexOf(' ');
  if (space < 0) return { scheme: raw.toLowerCase(), value: '' };
  return { scheme: raw.slice(0, space).toLowerCase(), value: raw.slice(space + 1).trim() };
}

export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1));
  }
  return undefined;
}

export function send(
  res: ServerResponse,
  status: number,
  contentType: string | undefined,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  if (contentType) res.setHeader('content-type', contentType);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

export function sendForm(
  res: ServerResponse,
  status: number,
  fields: Record<string, string | number>,
  headers: Record<string, string> = {},
): void {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  send(res, status, 'application/x-www-form-urlencoded; charset=utf-8', form.toString(), headers);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  send(res, status, 'text/html; charset=utf-8', html, headers);
}

export function sendRedirect(res: ServerResponse, location: string, status = 302): void {
  send(
    res,
    status,
    'text/html; charset=utf-8',
    `<html><body>You are being <a href="${escapeHtml(location)}">redirected</a>.</body></html>`,
    {
      location,
    },
  );
}

export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  send(res, status, undefined, '', headers);
}

/** `base` with `params` appended to its query, keeping what the redirect URI already carries. */
export function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlPage(title: string, message: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>\n`;
}

export function nginxPage(status: number, reason: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
