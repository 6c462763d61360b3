import type { IncomingMessage, ServerResponse } from 'node:http';
import secureJson from 'secure-json-parse';
import { RawError } from './errors';
import { REQUEST_ID_HEADER } from './service-parts';

export type Headers = Readonly<Record<string, string | number>>;

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Headers;
}

export function ok(body: unknown, headers?: Headers): Reply {
  return { status: 200, body: JSON.stringify(body), headers };
}

export function send(res: ServerResponse, requestId: string, reply: Reply): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(reply.body),
    [REQUEST_ID_HEADER]: requestId,
  });
  res.end(reply.body);
}

export function errorReply(error: RawError, headers?: Headers): Reply {
  return {
    status: error.status,
    body: JSON.stringify({ error_code: error.code, error_msg: error.message }),
    headers: { ...headers, ...error.headers },
  };
}

/** A path parameter as the service's router hands it over: percent-decoded, or the request is refused. */
export function pathParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RawError('INVALID_PARAMETER', 'The request path is not valid');
  }
}

/**
 * The request body as the service accepts it: JSON only (other media types 415), an empty body is no body,
 * `__proto__` and `constructor.prototype` keys refused, at most `limit` bytes.
 */
export async function jsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'];
  const length = req.headers['content-length'];
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (type === undefined) {
    if (!hasBody) return undefined;
    throw new RawError('UNSUPPORTED_MEDIA_TYPE');
  }
  if (type.split(';', 1)[0].trim().toLowerCase() !== 'application/json')
    throw new RawError('UNSUPPORTED_MEDIA_TYPE');
  if (Number(length ?? 0) > limit) throw new RawError('PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RawError('PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return secureJson.parse(Buffer.concat(chunks), undefined, {
      protoAction: 'error',
      constructorAction: 'error',
    });
  } catch {
    throw new RawError('INVALID_PARAMETER', 'Request body is not valid JSON');
  }
}
