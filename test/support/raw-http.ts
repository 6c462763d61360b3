import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed without answering. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (within the wait). */
  closed: boolean;
}

/**
 * Sends bytes as they are (no client library would send a broken request) and reads until the server closes the
 * connection or `waitMs` passes. `then` may write more (or destroy the socket) after the first bytes.
 */
export function rawHttp(
  port: number,
  request: string | Buffer,
  options: {
    waitMs?: number;
    then?: (write: (data: string) => void, end: () => void) => void;
  } = {},
): Promise<RawResponse> {
  const waitMs = options.waitMs ?? 3_000;
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => finish(), waitMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseResponse(Buffer.concat(chunks).toString('latin1'), closed));
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // a reset after the answer is what some cases expect
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      socket.write(request);
      options.then?.(
        (data) => socket.write(data),
        () => socket.destroy(),
      );
    });
    socket.setTimeout(waitMs + 1_000, () => reject(new Error('socket timeout')));
  });
}

function parseResponse(text: string, closed: boolean): RawResponse {
  // Interim answers (100 Continue to `Expect: 100-continue`) come before the response.
  while (/^HTTP\/1\.1 1\d\d /.test(text) && text.includes('\r\n\r\n')) {
    text = text.slice(text.indexOf('\r\n\r\n') + 4);
  }
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return { status: 0, headers: {}, body: '', closed };
  const [statusLine, ...lines] = text.slice(0, headEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: text.slice(headEnd + 4),
    closed,
  };
}
