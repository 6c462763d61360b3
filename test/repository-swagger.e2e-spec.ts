import { ERRORS } from '../src/common/errors/error-codes';
import {
  EXAMPLE_AUTHORIZATION_NAME,
  EXAMPLE_PROJECT_ID,
  SANDBOX_PERSONAL_TOKEN,
} from '../src/git-auth/dto/examples';
import { seed } from '../sandbox/seed';
import { startStack, type Stack } from './support/stack';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  example?: string;
  schema?: { example?: string };
}

interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, { example?: unknown }> }>;
  };
}

const OPERATIONS = [
  'listNamespaces',
  'showProjectDetail',
  'listProjects',
  'listBranches',
  'listTags',
  'listCommits',
  'listTrees',
  'showContent',
];

/** The writes in an order in which each example works once, against the sandbox's content: method, status. */
const WRITES: [string, string, number][] = [
  ['createProject', 'post', 200],
  ['createTag', 'post', 200],
  ['deleteTag', 'delete', 204],
  ['createFile', 'post', 200],
  ['updateFile', 'put', 200],
  ['deleteFile', 'delete', 204],
  ['listHooks', 'get', 200],
  ['createHook', 'post', 200],
  ['deleteHook', 'delete', 204],
];

/**
 * The repository operations in Swagger: the SDK's operation ids, X-Repo-Auth, their errors — and examples that
 * work when executed against what the sandbox providers hold (sandbox/seed.ts), through the authorization the
 * personal-token example creates.
 */
describe('repository operations in Swagger', () => {
  let stack: Stack;
  let doc: OpenApi;

  beforeAll(async () => {
    stack = await startStack();
    doc = (await stack.t.request<OpenApi>('GET', '/docs-json')).body;
  });

  afterAll(() => stack?.stop());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
  const find = (id: string) => {
    const found = operations().find((o) => o.op.operationId === id);
    if (!found) throw new Error(`${id} is not documented`);
    return found;
  };
  const example = (p: Parameter) => p.example ?? p.schema?.example;

  it.each([...OPERATIONS, ...WRITES.map(([id]) => id)])(
    '%s is documented with a required X-Repo-Auth and its errors',
    (id) => {
      const { method, op } = find(id);
      expect(method).toBe(WRITES.find(([w]) => w === id)?.[1] ?? 'get');
      const header = op.parameters.find((p) => p.in === 'header' && p.name === 'X-Repo-Auth');
      expect(header).toMatchObject({ required: true });
      const codes = JSON.stringify(op.responses);
      for (const key of [
        'AUTHORIZATION_NOT_FOUND',
        'AUTHORIZATION_INVALID',
        'PROVIDER_FORBIDDEN',
        'REPO_NOT_FOUND',
        'PROVIDER_RATE_LIMITED',
        'PROVIDER_UNAVAILABLE',
        'PROVIDER_TIMEOUT',
      ] as const)
        expect(codes).toContain(ERRORS[key].code);
      if (id === 'showContent') expect(codes).toContain(ERRORS.FILE_TOO_LARGE.code);
      if (id === 'showProjectDetail') expect(codes).toContain(ERRORS.CLONE_URL_INVALID.code);
      if (['updateFile', 'deleteFile'].includes(id)) expect(codes).toContain(ERRORS.STALE_SHA.code);
      if (['createProject', 'createTag', 'createHook', 'createFile'].includes(id))
        expect(codes).toContain(ERRORS.ALREADY_EXISTS.code);
      if (WRITES.some(([w]) => w === id)) expect(codes).toContain(ERRORS.UNAVAILABLE.code);
    },
  );

  it("every example works when executed against the sandbox's content", async () => {
    const github = stack.providers.fakes.github;
    seed(github);
    const created = await stack.t.request(
      'POST',
      `/v1/${EXAMPLE_PROJECT_ID}/git/auths/github/personal`,
      { body: { name: EXAMPLE_AUTHORIZATION_NAME, token: SANDBOX_PERSONAL_TOKEN } },
    );
    expect(created.status).toBe(200);

    const reads = OPERATIONS.map((id): [string, string, number] => [id, 'get', 200]);
    for (const [id, method, status] of [...reads, ...WRITES]) {
      const { path, op } = find(id);
      let url = path;
      const query = new URLSearchParams();
      const headers: Record<string, string> = {};
      for (const p of op.parameters) {
        const value = example(p);
        expect({ id, parameter: p.name, value }).toEqual({
          id,
          parameter: p.name,
          value: expect.any(String) as string,
        });
        if (p.in === 'path') url = url.replace(`{${p.name}}`, value ?? '');
        else if (p.in === 'query') query.set(p.name, value ?? '');
        else headers[p.name] = value ?? '';
      }
      const search = query.toString();
      const ref = op.requestBody?.content['application/json'].schema.$ref;
      const schema = ref ? doc.components.schemas[ref.split('/').at(-1) ?? ''] : undefined;
      const body = schema
        ? Object.fromEntries(
            Object.entries(schema.properties ?? {}).map(([k, v]) => [k, v.example]),
          )
        : undefined;
      const res = await stack.t.request(method.toUpperCase(), search ? `${url}?${search}` : url, {
        headers,
        ...(body ? { body } : {}),
      });
      expect({ id, status: res.status, body: res.body }).toMatchObject({ id, status });
    }
    // What the examples did is at the sandbox provider.
    const repo = github.repositories.repo('alice', 'hello-world');
    expect(github.repositories.repo('alice', 'my-new-app')).toBeDefined();
    expect(repo?.tags.has('v1.1.0')).toBe(true);
    expect(repo?.tags.has('v1.0.0')).toBe(false);
    expect(repo?.head('main')?.files.has('docs/hello.md')).toBe(true);
    expect(repo?.head('main')?.files.has('Dockerfile')).toBe(false);
    expect([...(repo?.hooks.values() ?? [])].map((h) => h.url)).toEqual([
      'https://example.com/webhook',
    ]);
  });
});
