/**
 * ServiceStage project ids are 32 hex characters; we accept what such ids are made of. Every project id this
 * service meets — in paths, in access key files — is checked against this one rule.
 */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const PROJECT_ID_RULE = 'project_id must be 1-64 characters of letters, digits or "-"';
