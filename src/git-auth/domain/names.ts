/** ServiceStage's console rule for authorization names. */
export const AUTHORIZATION_NAME_PATTERN = /^[A-Za-z0-9._-]{4,63}$/;
export const AUTHORIZATION_NAME_RULE =
  'name must be 4-63 characters of letters, digits, ".", "_" or "-"';

/** Site tags select a configured OAuth application; they become part of variable names (GITHUB_INTL_CLIENT_ID). */
export const TAG_PATTERN = /^[a-z0-9]{0,32}$/;
export const TAG_RULE = 'tag must be up to 32 lowercase letters or digits';

/** Which characters a field may hold, and how an error message says it. */
export interface Charset {
  readonly pattern: RegExp;
  readonly rule: string;
}

/**
 * Tokens, codes and states travel in HTTP headers, query strings and form bodies: visible ASCII only (what
 * providers issue; RFC 6750's b64token is a subset). A NUL, CR/LF or emoji is the caller's mistake (400), not
 * something to discover as an HTTP client error at the provider (502).
 */
export const TOKEN_CHARS: Charset = {
  pattern: /^[\x21-\x7e]*$/,
  rule: 'printable ASCII without spaces',
};

/** Text that may end up in a header (HTTP Basic credentials): no control characters, nothing above U+00FF. */
export const HEADER_SAFE_CHARS: Charset = {
  pattern: /^[\x20-\x7e\xa0-\xff]*$/,
  rule: 'free of control characters and of characters above U+00FF',
};
