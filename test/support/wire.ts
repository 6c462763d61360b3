/** ServiceStage's AuthorizationVI keys, exactly (the documented spelling `avartar` included). */
export const AUTHORIZATION_VI_KEYS = [
  'avartar',
  'create_time',
  'name',
  'repo_home',
  'repo_host',
  'repo_type',
  'repo_user',
  'status',
  'token_type',
  'update_time',
];

/** AuthorizationVO (list items) = AuthorizationVI + tag. */
export const AUTHORIZATION_VO_KEYS = [...AUTHORIZATION_VI_KEYS, 'tag'].sort();
