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

/** A repository every sandbox provider hosts for SANDBOX_LOGIN (its namespace is the login). */
export const EXAMPLE_REPOSITORY = 'hello-world';
/** A branch of it. */
export const EXAMPLE_REF = 'main';
/** A file of it, every `/` written `:` as the SDK sends paths. */
export const EXAMPLE_FILE_PATH = 'src:main:App.java';
/**
 * Its clone URL at the sandbox GitHub: a clone URL names its server by host name (the port does not count), and
 * the sandbox providers run on 127.0.0.1.
 */
export const EXAMPLE_CLONE_URL = `http://127.0.0.1/${SANDBOX_LOGIN}/${EXAMPLE_REPOSITORY}.git`;

/** What the write operations' examples create, change and delete in the sandbox's EXAMPLE_REPOSITORY. */
export const EXAMPLE_NEW_REPOSITORY = 'my-new-app';
/** The sandbox repository has v1.0.0 (deleteTag's example); createTag's makes this one. */
export const EXAMPLE_EXISTING_TAG = 'v1.0.0';
export const EXAMPLE_NEW_TAG = 'v1.1.0';
/** createFile's new file, `/` written `:`. */
export const EXAMPLE_NEW_FILE_PATH = 'docs:hello.md';
/** A file of the sandbox repository that deleteFile's example removes, and its blob SHA. */
export const EXAMPLE_DELETED_FILE_PATH = 'Dockerfile';
export const EXAMPLE_DELETED_FILE_SHA = 'ff65029eb562dda1252223ae31eba074ac701878';
/** The blob SHA of EXAMPLE_FILE_PATH in the sandbox (what showContent's example returns; updateFile takes it). */
export const EXAMPLE_FILE_SHA = '17f58c78fe1a44dbbda7ebb7e19205656ecbfbe6';
/** The webhook every sandbox EXAMPLE_REPOSITORY has (deleteHook's example) and the one createHook's adds. */
export const EXAMPLE_HOOK_ID = '1001';
export const EXAMPLE_HOOK_URL = 'https://ci.example.com/hooks/servicestage';
export const EXAMPLE_NEW_HOOK_URL = 'https://example.com/webhook';
/** Base64 of createFile's and updateFile's example contents. */
export const EXAMPLE_NEW_FILE_CONTENT = 'IyBIZWxsbwoKQ3JlYXRlZCB0aHJvdWdoIFNlcnZpY2VTdGFnZS4K';
export const EXAMPLE_UPDATED_CONTENT =
  'cHVibGljIGNsYXNzIEFwcCB7CiAgcHVibGljIHN0YXRpYyB2b2lkIG1haW4oU3RyaW5nW10gYXJncykgewogICAgU3lzdGVtLm91dC5wcmludGxuKCJIZWxsbyIpOwogIH0KfQo=';
