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
  responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
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

  it.each(OPERATIONS)('%s is documented with a required X-Repo-Auth and its errors', (id) => {
    const { method, op } = find(id);
    expect(method).toBe('get');
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
  });

  it("every example works when executed against the sandbox's content", async () => {
    const github = stack.providers.fakes.github;
    seed(github);
    const created = await stack.t.request(
      'POST',
      `/v1/${EXAMPLE_PROJECT_ID}/git/auths/github/personal`,
      { body: { name: EXAMPLE_AUTHORIZATION_NAME, token: SANDBOX_PERSONAL_TOKEN } },
    );
    expect(created.status).toBe(200);

    for (const id of OPERATIONS) {
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
      const res = await stack.t.request('GET', search ? `${url}?${search}` : url, { headers });
      expect({ id, status: res.status, body: res.body }).toMatchObject({
        id,
        status: 200,
      });
    }
  });
});
