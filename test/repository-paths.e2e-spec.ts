import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError } from './support/errors';
import { USER } from './support/providers';
import {
  authorize,
  PROJECT,
  seedRepositories,
  type Seeded,
  SUBGROUP,
} from './support/repositories';
import { sdkSign, wirePath } from './support/signing';
import { startStack, type Stack } from './support/stack';
import { startTestApp, type TestApp } from './support/test-app';

const AK = 'REPOSAK1234567890ABCD';
const SK = 'REPOSSK0987654321abcdefREPOSSK0987654321';

interface FileBody {
  path: string;
  content: string;
}

/**
 * `namespace`, `project` and `path` as the SDK sends them (unencoded, `:` for `/`), what is refused (`.`/`..`,
 * empty segments, NUL, over-long paths, bad refs and clone URLs), and AK/SK signatures over such paths — made
 * by the official signer and by the SDK's own HTTP client.
 */
describe('repository operations: paths, refs, clone URLs and signed requests', () => {
  let stack: Stack;
  let t: TestApp;
  let seeded: Seeded;
  let github: string;
  let gitlab: string;

  beforeAll(async () => {
    stack = await startStack();
    t = stack.t;
    seeded = seedRepositories(stack.providers.fakes.github);
    seedRepositories(stack.providers.fakes.gitlab);
    github = (await authorize(t, stack.providers.fakes.github, 'oauth', 'paths-github')).name;
    gitlab = (await authorize(t, stack.providers.fakes.gitlab, 'personal', 'paths-gitlab')).name;
  });

  afterAll(() => stack?.stop());

  const get = <T>(path: string, auth = github) =>
    t.request<T>('GET', `/v1/${PROJECT}/git/${path}`, { headers: { 'x-repo-auth': auth } });

  describe('paths', () => {
    it('a GitLab subgroup namespace with ":", or the full path in {project}', async () => {
      const byNamespace = await get<{ branches: string[] }>(
        `repos/acme:platform/api/branches`,
        gitlab,
      );
      expect(byNamespace.body).toEqual({ branches: ['main'] });
      const byFullPath = await get<{ branches: string[] }>(
        `repos/acme/acme:platform:api/branches`,
        gitlab,
      );
      expect(byFullPath.body).toEqual({ branches: ['main'] });
      const encoded = await get<{ branches: string[] }>(`repos/acme%2Fplatform/api/tags`, gitlab);
      expect(encoded.status).toBe(200);
      expect(stack.providers.fakes.gitlab.calls('tags').at(-1)?.path).toBe(
        `/api/v4/projects/${encodeURIComponent(`${SUBGROUP}/api`)}/repository/tags`,
      );
    });

    it('a {project} full path outside {namespace}: 0400', async () => {
      expectError(
        await get(`repos/other/acme:platform:api/branches`, gitlab),
        'INVALID_PARAMETER',
        /not in namespace/,
      );
    });

    it.each([
      ['a ".." segment', 'src:..:..:etc:passwd'],
      ['a "." segment', 'src:.:main:App.java'],
      ['an empty segment', 'src::main:App.java'],
      ['a leading ":"', ':src:main:App.java'],
      ['a NUL', 'src%00main'],
    ])('a path with %s: 0400', async (_case, path) => {
      expectError(await get(`files/${USER}/demo/${path}?ref=main`), 'INVALID_PARAMETER');
    });

    it('a namespace or project with ".." or an empty segment: 0400', async () => {
      expectError(await get(`files/acme:..:evil/demo/README.md?ref=main`), 'INVALID_PARAMETER');
      expectError(await get(`repos/${USER}/demo::x/branches`), 'INVALID_PARAMETER');
      expectError(await get(`repos/..:${USER}/projects`), 'INVALID_PARAMETER');
    });

    it('a path of 1,024 characters is asked for; 1,025 is 0400; far longer, 0400 before routing', async () => {
      const calls = stack.providers.fakes.github.calls('contents').length;
      expectError(await get(`files/${USER}/demo/${'a'.repeat(1024)}?ref=main`), 'REPO_NOT_FOUND');
      expect(stack.providers.fakes.github.calls('contents').length).toBe(calls + 1);
      expectError(
        await get(`files/${USER}/demo/${'a'.repeat(1025)}?ref=main`),
        'INVALID_PARAMETER',
        /1024/,
      );
      expectError(
        await get(`files/${USER}/demo/${'a'.repeat(5000)}?ref=main`),
        'INVALID_PARAMETER',
      );
    });

    it('a file named like a listed route still reads (namespaces, projects, branches)', async () => {
      const repo = seeded.demo;
      repo.commit('main', {
        message: 'Routes as names',
        files: { branches: 'b\n', 'docs/trees': 't\n' },
      });
      const file = await get<FileBody>(`files/${USER}/demo/branches?ref=main`);
      expect(Buffer.from(file.body.content, 'base64').toString()).toBe('b\n');
      const nested = await get<FileBody>(`files/${USER}/demo/docs:trees?ref=main`);
      expect(nested.body.path).toBe('docs/trees');
      const namespace = await get<{ projects: unknown[] }>(`repos/namespaces/projects`);
      expectError(namespace, 'REPO_NOT_FOUND');
    });
  });

  describe('ref and clone_url', () => {
    it.each([
      ['missing', ''],
      ['empty', 'ref='],
      ['with ".."', 'ref=main..x'],
      ['with a space', 'ref=a%20b'],
      ['with "~"', 'ref=main~1'],
      ['repeated', 'ref=main&ref=dev'],
    ])('listTrees with a ref %s: 0400', async (_case, query) => {
      expectError(await get(`files/${USER}/demo/trees?${query}`), 'INVALID_PARAMETER', /ref/);
    });

    it('a ref with "/" (a branch like release/1.0) works', async () => {
      const res = await get<{ paths: string[] }>(`files/${USER}/demo/trees?ref=release%2F1.0`);
      expect(res.status).toBe(200);
      expect(res.body.paths).toContain('README.md');
    });

    it('clone_url missing: 0400', async () => {
      expectError(await get('repos/project-info'), 'INVALID_PARAMETER', /clone_url/);
    });

    it.each([
      ['not a URL', 'not a url'],
      ['on another host', 'https://gitlab.example.com/octo-user/demo.git'],
      ['with one segment', `${'{web}'}/demo.git`],
      ['with another scheme', 'file:///etc/passwd'],
      ['with a query', `${'{web}'}/octo-user/demo.git?x=1`],
      ['with a ".." segment', `${'{web}'}/octo-user/../demo.git`],
    ])('clone_url %s: 0452', async (_case, url) => {
      const cloneUrl = url.replace('{web}', stack.providers.fakes.github.webUrl);
      expectError(
        await get(`repos/project-info?clone_url=${encodeURIComponent(cloneUrl)}`),
        'CLONE_URL_INVALID',
      );
    });
  });

  describe('AK/SK-signed requests', () => {
    let signed: TestApp;
    let dir: string;
    let home: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'git-auth-repos-'));
      home = mkdtempSync(join(tmpdir(), 'git-auth-home-'));
      writeFileSync(
        join(dir, 'keys.json'),
        JSON.stringify([{ ak: AK, sk: SK, project_ids: [PROJECT] }]),
      );
      signed = await startTestApp({
        DATABASE_URL: stack.db.url,
        AUTH_MODE: 'iam',
        AUTH_ACCESS_KEYS_FILE: join(dir, 'keys.json'),
        ...stack.providers.env,
      });
      // The SDK client writes an application id under ~/.huaweicloud.
      jest.spyOn(os, 'homedir').mockReturnValue(home);
    });

    afterAll(async () => {
      jest.restoreAllMocks();
      await signed?.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    });

    it('the official signer over a path with ":" (signed as %3A) and X-Repo-Auth', async () => {
      const path = `/v1/${PROJECT}/git/files/${USER}/demo/src:main:App.java`;
      const query = { ref: 'main' };
      const headers = sdkSign({
        endpoint: signed.baseUrl,
        method: 'GET',
        path,
        query,
        ak: AK,
        sk: SK,
        projectId: PROJECT,
        headers: { 'X-Repo-Auth': github },
      });
      const res = await signed.request<FileBody>('GET', wirePath(path, query), { headers });
      expect(res.status).toBe(200);
      expect(res.body.path).toBe('src/main/App.java');
    });

    it("the SDK's own client (content-type: application/json on a GET without a body)", async () => {
      const credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
      const sdk = new ClientBuilder<HcClient>((hc) => hc)
        .withEndpoint(signed.baseUrl)
        .withCredential(credentials)
        .build();
      const body = (await sdk.sendRequest({
        method: 'GET',
        url: '/v1/{project_id}/git/files/{namespace}/{project}/{path}',
        contentType: 'application/json',
        pathParams: { namespace: USER, project: 'demo', path: 'src:main:App.java' },
        queryParams: { ref: 'main' },
        headers: { 'X-Repo-Auth': github },
      })) as FileBody;
      expect(body.path).toBe('src/main/App.java');
      const branches = (await sdk.sendRequest({
        method: 'GET',
        url: '/v1/{project_id}/git/repos/{namespace}/{project}/branches',
        contentType: 'application/json',
        pathParams: { namespace: 'acme:platform', project: 'api' },
        queryParams: {},
        headers: { 'X-Repo-Auth': gitlab },
      })) as { branches: string[] };
      expect(branches).toMatchObject({ branches: ['main'] });
    });

    it('an unsigned request is 0410 before X-Repo-Auth is looked at', async () => {
      expectError(
        await signed.request('GET', `/v1/${PROJECT}/git/repos/namespaces`, {
          headers: { 'x-repo-auth': github },
        }),
        'UNAUTHENTICATED',
      );
    });
  });
});
