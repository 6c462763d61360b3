/**
 * The values Swagger UI pre-fills. The sandbox providers of `npm run start:local` (sandbox/) accept exactly
 * these, so that pressing Execute on an example works there: one definition for both, so they cannot drift.
 */
export const EXAMPLE_PROJECT_ID = '0123456789abcdef0123456789abcdef';

/** The authorization the name-addressed operations act on; the personal-token example creates it. */
export const EXAMPLE_AUTHORIZATION_NAME = 'my-github';

/** The sandbox account that holds the example secrets below, at every sandbox provider. */
export const SANDBOX_LOGIN = 'alice';
/** A personal access token every sandbox provider accepts for SANDBOX_LOGIN. */
export const SANDBOX_PERSONAL_TOKEN = 'sandbox-personal-token';
/** An app password the sandbox providers that take passwords accept for SANDBOX_LOGIN. */
export const SANDBOX_APP_PASSWORD = 'sandbox-app-password';
