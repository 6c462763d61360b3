/** A URL fit for a log line or an error message: any password replaced by `***` (user, host and path kept). */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '(not a URL)';
  const parsed = new URL(url);
  let redacted = false;
  if (parsed.password !== '') {
    parsed.password = '***';
    redacted = true;
  }
  // A query may carry a password too (libpq's `?password=`).
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|secret|token|key/i.test(key)) {
      parsed.searchParams.set(key, '***');
      redacted = true;
    }
  }
  return redacted ? parsed.toString() : url;
}
