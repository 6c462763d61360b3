/** ServiceStage's console rule for authorization names. */
export const AUTHORIZATION_NAME_PATTERN = /^[A-Za-z0-9._-]{4,63}$/;
export const AUTHORIZATION_NAME_RULE =
  'name must be 4-63 characters of letters, digits, ".", "_" or "-"';

/** Site tags select a configured OAuth application; they become part of variable names (GITHUB_INTL_CLIENT_ID). */
export const TAG_PATTERN = /^[a-z0-9]{0,32}$/;
export const TAG_RULE = 'tag must be up to 32 lowercase letters or digits';
