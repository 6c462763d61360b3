import {
  createServer as createHttpServer,
  get as httpGet,
  STATUS_CODES,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import {
  createServer as createHttpsServer,
  get as httpsGet,
  type Server as HttpsServer,
} from 'node:https';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  CONSENT_PATH,
  consentPage,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
  signInPage,
} from './consent-pages';
import {
  basicAuth,
  BodyTooLargeError,
  cookie,
  header,
  htmlPage,
  parseForm,
  parseJsonObject,
  MAX_BODY_BYTES,
  readBody,
  searchParamsToObject,
  send,
  sendHtml,
  sendRedirect,
  withParams,
  type Params,
} from './http';
import { FakeRepositories } from './repositories';
import { isValidVerifier, s256 } from './tokens';
import type {
  FakeKind,
  FakeUser,
  FakeApp,
  Fault,
  FakeEndpoint,
  RecordedCall,
  AuthorizeResult,
  RequestContext,
  Route,
  TokenType,
  TokenRecord,
  CodeRecord,
  TokenCheck,
  AuthorizeDecision,
  ProviderFacts,
} from './types';

/** Cookie standing for the user's browser session at the provider (set by authorize()). */
export const SESSION_COOKIE = 'fake_session';
/** Header with which authorize() makes the signed-in user click "Cancel" instead of "Authorize". */
export const CONSENT_HEADER = 'x-fake-consent';
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) FakeBrowser/1.0';
/** Authorization codes live 10 minutes at every provider. */
export const CODE_TTL_MS = 10 * 60 * 1000;
/** A trickling answer's length: it ends by itself after this many intervals. */
const TRICKLE_BYTES = 100;

/**
 * The shared engine of the fake providers: an HTTP(S) server on 127.0.0.1, in-memory apps/users/codes/tokens,
 * call recording and fault injection. Subclasses supply the routes and each provider's formats and quirks.
 */
export abstract class FakeProvider {
  baseUrl = '';
  abstract accessTokenTtlSeconds: number;
  abstract readonly facts: ProviderFacts;
  /** Its namespaces and repositories; each user gets a namespace of their own. */
  readonly repositories: FakeRepositories;
  /** The largest request body it reads (a file written through its API rides in one). */
  maxBodyBytes = MAX_BODY_BYTES;
  /** When set, next-page links point at this origin instead (a provider trying to send the token elsewhere). */
  nextPageOrigin?: string;
  /**
   * A browser gets a sign-in form and a consent page (Authorize / Cancel), as at the real provider; off, a
   * signed-in visit approves at once (what authorize() and raw HTTP drivers such as the benchmark expect).
   */
  interactiveConsent = false;
  /** The provider's name on those pages (the sandbox sets the registry's display name). */
  displayName?: string;
  /** Consent forms shown and not yet answered: form token → the signed-in user it was shown to. */
  private readonly consentForms = new Map<string, string>();

  protected readonly apps = new Map<string, FakeApp>();
  protected readonly users = new Map<string, FakeUser>();
  protected readonly codes = new Map<string, CodeRecord>();
  protected readonly tokens = new Map<string, TokenRecord>();
  protected readonly revoked: string[] = [];
  private readonly recorded: RecordedCall[] = [];
  private readonly faults = new Map<
    FakeEndpoint,
    { fault: Fault; remaining: number; method?: string }[]
  >();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: HttpServer | HttpsServer;
  private tlsCert?: string;
  private refreshes = 0;
  private usualTtlSeconds?: number;

  protected constructor(
    readonly kind: FakeKind,
    private readonly firstUserId: number,
  ) {
    this.repositories = new FakeRepositories(firstUserId + 500_000);
  }

  /** What the service is configured with as <P>_WEB_URL. */
  get webUrl(): string {
    return this.baseUrl;
  }

  /** What the service is configured with as <P>_API_URL. */
  abstract get apiUrl(): string;

  protected abstract route(method: string, path: string): Route | undefined;
  protected abstract decideAuthorize(query: Params): AuthorizeDecision;
  /** error/error_description(/error_uri) sent back when the user clicks "Cancel". */
  protected abstract deniedParams(): Params;
  protected abstract newCode(): string;
  protected abstract newPersonalToken(): string;
  protected abstract notFound(ctx: RequestContext): void;
  /** The provider's own 5xx page (what a failNext status fault answers by default). */
  protected abstract serverErrorPage(status: number): string;

  /**
   * Whether `git clone https://<username>:<secret>@host/…` gets in: the provider's rule for the user name that
   * goes with each kind of secret.
   */
  protected abstract cloneAccepted(username: string, secret: string): boolean;

  /** Gate run before every route (after faults): Gitee's and GitHub's User-Agent rules. */
  protected admit(_ctx: RequestContext): boolean {
    return true;
  }

  protected defaultAvatarUrl(username: string, _id: number): string {
    return `${this.baseUrl}/avatars/${encodeURIComponent(username)}.png`;
  }

  protected defaultHomeUrl(username: string, _id: number): string {
    return `${this.baseUrl}/${encodeURIComponent(username)}`;
  }

  protected defaultPersonalScopes(): string[] {
    return [];
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------

  /** Listens on 127.0.0.1, on `port` (the sandbox's fixed ports) or any free one. */
  async start(options: { tls?: { key: string; cert: string }; port?: number } = {}): Promise<void> {
    if (this.server) throw new Error(`fake ${this.kind} is already started`);
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.onRequest(req, res);
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    this.server = server;
    this.tlsCert = options.tls?.cert;
    this.baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  /** Stops listening and cuts every socket (keep-alive ones too) and pending delayed answers, so Jest can exit. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // ---- test controls -----------------------------------------------------------------------------------------

  registerApp(app: FakeApp): void {
    this.apps.set(app.clientId, { ...app });
  }

  addUser(username: string, extra: Partial<FakeUser> = {}): FakeUser {
    if (!this.baseUrl)
      throw new Error(`start() the ${this.kind} fake before addUser(): URLs derive from it`);
    if (this.users.has(username)) throw new Error(`${this.kind} fake: user ${username} exists`);
    const id = extra.id ?? this.firstUserId + this.users.size;
    const user: FakeUser = {
      username,
      id,
      name: extra.name ?? username.charAt(0).toUpperCase() + username.slice(1),
      avatarUrl: extra.avatarUrl ?? this.defaultAvatarUrl(username, id),
      homeUrl: extra.homeUrl ?? this.defaultHomeUrl(username, id),
    };
    this.users.set(username, user);
    this.repositories.addNamespace(username, {
      kind: 'user',
      name: user.name,
      members: [username],
      giteeType: 'personal',
    });
    return user;
  }

  findUser(username: string): FakeUser | undefined {
    return this.users.get(username);
  }

  /** The Cookie header value of `username`'s browser session, for driving /authorize by hand. */
  sessionCookie(username: string): string {
    return `${SESSION_COOKIE}=${encodeURIComponent(username)}`;
  }

  /**
   * Simulates the user approving (or, with `deny`, cancelling) in the browser: a real GET to the service's
   * authorize URL, which the fake validates like the provider. Throws when the provider doesn't redirect back
   * with a code (error page, error redirect, fault) unless `deny` was asked for.
   */
  async authorize(
    authorizeUrl: string,
    asUser: string,
    options: { deny?: boolean } = {},
  ): Promise<AuthorizeResult> {
    const url = new URL(authorizeUrl);
    // Never let a wrong URL send the test's browser anywhere but this fake.
    if (url.origin !== new URL(this.baseUrl).origin)
      throw new Error(`${this.kind} fake: ${url.origin}${url.pathname} is not on ${this.baseUrl}`);
    if (!this.users.has(asUser)) throw new Error(`${this.kind} fake: no user ${asUser}`);
    const headers: Record<string, string> = {
      cookie: this.sessionCookie(asUser),
      'user-agent': BROWSER_UA,
      accept: 'text/html',
    };
    headers[CONSENT_HEADER] = options.deny ? 'deny' : 'approve';
    const answer = await this.browserGet(url, headers);
    if (answer.status !== 302 || !answer.location) {
      const text = answer.body
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200);
      throw new Error(`${this.kind} fake: authorize answered ${answer.status}: ${text}`);
    }
    const location = new URL(answer.location);
    const error = location.searchParams.get('error');
    if (error !== null && !options.deny) {
      const description = location.searchParams.get('error_description') ?? '';
      throw new Error(`${this.kind} fake refused the authorization: ${error}: ${description}`);
    }
    return {
      code: location.searchParams.get('code') ?? '',
      state: location.searchParams.get('state') ?? '',
      location,
      ...(error !== null ? { error } : {}),
    };
  }

  /** A new personal token of `username`; `value` fixes the token instead (the sandbox's documented one). */
  issuePersonalToken(
    username: string,
    options: { expired?: boolean; scopes?: string[]; value?: string } = {},
  ): string {
    if (!this.users.has(username)) throw new Error(`${this.kind} fake: no user ${username}`);
    const now = Date.now();
    const token = options.value ?? this.newPersonalToken();
    this.tokens.set(token, {
      token,
      type: 'personal',
      username,
      scope: (options.scopes ?? this.defaultPersonalScopes()).join(' '),
      issuedAt: now,
      expiresAt: options.expired ? now - 1000 : undefined,
      revoked: false,
    });
    return token;
  }

  /** The token (access, refresh or personal) stops working, as if the user revoked it in the provider's UI. */
  revokeToken(token: string): void {
    const record = this.tokens.get(token);
    if (record) record.revoked = true;
  }

  expireAccessTokens(): void {
    this.expireAll('access');
  }

  /** OAuth tokens issued from now on expire after `ttlSeconds` and come with a refresh token. */
  useExpiringTokens(ttlSeconds: number): void {
    this.usualTtlSeconds ??= this.accessTokenTtlSeconds;
    this.accessTokenTtlSeconds = ttlSeconds;
  }

  /** Back to the provider's usual tokens. */
  useUsualTokens(): void {
    if (this.usualTtlSeconds !== undefined) this.accessTokenTtlSeconds = this.usualTtlSeconds;
    this.usualTtlSeconds = undefined;
  }

  /** A password accepted with `username` over HTTP Basic, where the provider has them (app passwords). */
  addAppPassword(_username: string, _password: string): void {
    throw new Error(`the ${this.kind} fake has no app passwords`);
  }

  expireRefreshTokens(): void {
    this.expireAll('refresh');
  }

  /** Every live refresh token is used up, as if another client of the grant had refreshed first. */
  spendRefreshTokens(): void {
    for (const record of this.tokens.values()) if (record.type === 'refresh') record.revoked = true;
  }

  /** `method`: only calls with this method take the fault (a write between the reads that prepare it). */
  failNext(endpoint: FakeEndpoint, fault: Fault, times = 1, method?: string): void {
    const queue = this.faults.get(endpoint) ?? [];
    queue.push({ fault, remaining: times, method });
    this.faults.set(endpoint, queue);
  }

  /** Forgets the recorded calls (a long benchmark would otherwise keep every one). */
  forgetCalls(): void {
    this.recorded.length = 0;
  }

  calls(endpoint?: FakeEndpoint): RecordedCall[] {
    return this.recorded.filter((c) => endpoint === undefined || c.endpoint === endpoint);
  }

  refreshCount(): number {
    return this.refreshes;
  }

  /** Every secret this fake handed out: codes, access, refresh and personal tokens (for leak checks). */
  issuedSecrets(): string[] {
    return [...this.codes.keys(), ...this.tokens.keys()];
  }

  revokedGrants(): string[] {
    return [...this.revoked];
  }

  // ---- request pipeline ------------------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    readBody(req, this.maxBodyBytes).then(
      (body) => this.dispatch(req, res, body),
      (err: unknown) => {
        if (!(err instanceof BodyTooLargeError)) return void req.socket.destroy();
        // Recorded (without the body) so a test sees what was refused; answered before any fault.
        const url = new URL(req.url ?? '/', this.baseUrl);
        const route = this.routeOf((req.method ?? 'GET').toUpperCase(), url.pathname);
        this.record(req, url, route?.endpoint ?? 'other', '');
        send(res, 413, 'text/plain; charset=utf-8', 'Payload Too Large', { connection: 'close' });
      },
    );
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): void {
    const url = this.requestUrl(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const route = this.routeOf(method, url.pathname);
    const body = rawBody.toString('utf8');
    const ctx: RequestContext = {
      req,
      res,
      url,
      query: searchParamsToObject(url.searchParams),
      body,
      rawBody,
    };
    const endpoint = route?.endpoint ?? 'other';
    this.record(req, url, endpoint, body);
    const fault = endpoint === 'other' ? undefined : this.takeFault(endpoint, method);
    if (fault === undefined) return this.handle(route, ctx);
    if ('drop' in fault) {
      req.socket.destroy();
    } else if ('delayMs' in fault) {
      // Handled normally afterwards even if the client gave up: the provider still did the work (a code
      // consumed, tokens issued) — exactly the situation a client timeout leaves behind.
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.handle(route, ctx);
      }, fault.delayMs);
      this.timers.add(timer);
    } else if ('trickleMs' in fault) {
      this.trickle(ctx.res, fault.trickleMs);
    } else {
      this.sendFault(ctx, fault);
    }
  }

  /**
   * The URL as the client addressed it (its Host header): next-page links are built from it, as a server that
   * answers under several names (localhost, 127.0.0.1) must.
   */
  private requestUrl(req: IncomingMessage): URL {
    const base = new URL(this.baseUrl);
    const host = req.headers.host;
    return new URL(req.url ?? '/', host ? `${base.protocol}//${host}` : this.baseUrl);
  }

  /** Every provider serves git over HTTP at `/{owner}/{repo}.git`; the rest are its own routes. */
  private routeOf(method: string, path: string): Route | undefined {
    if (method === 'GET' && /^\/[^/]+\/[^/]+\.git\/info\/refs$/.test(path))
      return { endpoint: 'git', handle: (c) => this.gitInfoRefs(c) };
    if (method === 'POST' && path === SIGN_IN_PATH)
      return { endpoint: 'other', handle: (c) => this.signIn(c) };
    if (method === 'POST' && path === SIGN_OUT_PATH)
      return { endpoint: 'other', handle: (c) => this.signOut(c) };
    if (method === 'POST' && path === CONSENT_PATH)
      return { endpoint: 'authorize', handle: (c) => this.answerConsent(c) };
    return this.route(method, path);
  }

  /** The start of a clone: the ref advertisement for whoever the provider lets in. */
  private gitInfoRefs(ctx: RequestContext): void {
    const basic = basicAuth(ctx.req);
    if (ctx.query.service !== 'git-upload-pack')
      return send(ctx.res, 403, 'text/plain; charset=utf-8', 'smart HTTP only');
    if (!basic || !this.cloneAccepted(basic.user, basic.pass))
      return send(ctx.res, 401, 'text/plain; charset=utf-8', 'HTTP Basic: Access denied\n', {
        'www-authenticate': `Basic realm="${this.kind}"`,
      });
    const line = '# service=git-upload-pack\n';
    const pkt = `${(line.length + 4).toString(16).padStart(4, '0')}${line}0000`;
    send(ctx.res, 200, 'application/x-git-upload-pack-advertisement', `${pkt}0000`);
  }

  private record(
    req: IncomingMessage,
    url: URL,
    endpoint: FakeEndpoint | 'other',
    body: string,
  ): void {
    const query = searchParamsToObject(url.searchParams);
    this.recorded.push({
      endpoint,
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query,
      headers: { ...req.headers },
      body,
      grantType: endpoint === 'token' ? sentGrantType(query, body) : undefined,
    });
  }

  private handle(route: Route | undefined, ctx: RequestContext): void {
    try {
      if (!this.admit(ctx)) return;
      if (route) route.handle(ctx);
      else this.notFound(ctx);
    } catch (err) {
      // A bug in a fake must fail the test loudly, not hang it.
      const message = err instanceof Error ? err.message : String(err);
      send(ctx.res, 500, 'text/plain; charset=utf-8', `fake ${this.kind} crashed: ${message}`);
    }
  }

  private takeFault(endpoint: FakeEndpoint, method: string): Fault | undefined {
    const queue = this.faults.get(endpoint);
    const index = queue?.findIndex((f) => f.method === undefined || f.method === method) ?? -1;
    const head = index < 0 ? undefined : queue?.[index];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.splice(index, 1);
    return head.fault;
  }

  /** At most TRICKLE_BYTES bytes, then the answer ends: the loop stops by itself if the client never gives up. */
  private trickle(res: ServerResponse, everyMs: number): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"x":"');
    let left = TRICKLE_BYTES;
    const timer = setInterval(() => {
      if (res.destroyed || --left <= 0) {
        clearInterval(timer);
        this.timers.delete(timer);
        if (!res.destroyed) res.end('"}');
        return;
      }
      res.write('a');
    }, everyMs);
    this.timers.add(timer);
  }

  private sendFault(
    ctx: RequestContext,
    fault: { status: number; body?: string; headers?: Record<string, string> },
  ): void {
    const headers = { ...fault.headers };
    const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    if (fault.body !== undefined) {
      const looksJson = /^\s*[[{]/.test(fault.body);
      const type = looksJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8';
      send(ctx.res, fault.status, hasType ? undefined : type, fault.body, headers);
    } else if (fault.status >= 500) {
      const type = hasType ? undefined : 'text/html; charset=utf-8';
      send(ctx.res, fault.status, type, this.serverErrorPage(fault.status), headers);
    } else {
      const body = JSON.stringify({ message: STATUS_CODES[fault.status] ?? 'Error' });
      send(
        ctx.res,
        fault.status,
        hasType ? undefined : 'application/json; charset=utf-8',
        body,
        headers,
      );
    }
  }

  // ---- authorize endpoint ------------------------------------------------------------------------------------

  /** The browser-facing authorize page: session check, the provider's validation, then consent. */
  protected handleAuthorize(ctx: RequestContext): void {
    const username = this.signedIn(ctx);
    if (username === undefined) {
      const page = this.interactiveConsent
        ? signInPage(this.name, [...this.users.keys()], `${ctx.url.pathname}${ctx.url.search}`)
        : htmlPage('Sign in', `Sign in to ${this.kind} to continue.`);
      sendHtml(ctx.res, 200, page);
      return;
    }
    const consent = header(ctx.req, CONSENT_HEADER);
    const asked = consent === undefined && this.interactiveConsent;
    this.decide(ctx, username, ctx.query, asked ? 'ask' : consent === 'deny' ? 'deny' : 'approve');
  }

  /** The provider's validation of an authorize request, then the consent page or the user's answer. */
  private decide(
    ctx: RequestContext,
    username: string,
    query: Params,
    choice: 'ask' | 'approve' | 'deny',
  ): void {
    const state = query.state;
    const decision = this.decideAuthorize(query);
    switch (decision.kind) {
      case 'error-page':
        sendHtml(ctx.res, decision.status, htmlPage('Error', decision.message));
        return;
      case 'error-redirect':
        sendRedirect(ctx.res, withParams(decision.redirectUri, { ...decision.params, state }));
        return;
      case 'approve':
        break;
    }
    if (choice === 'ask') {
      const formToken = randomBytes(16).toString('hex');
      this.consentForms.set(formToken, username);
      const details = {
        appName: decision.app.name ?? decision.app.clientId,
        username,
        scopes: decision.scope.split(/[\s,]+/).filter(Boolean),
        redirectTo: new URL(decision.redirectUri).origin,
        here: `${ctx.url.pathname}${ctx.url.search}`,
      };
      sendHtml(ctx.res, 200, consentPage(this.name, details, { ...query, form_token: formToken }));
      return;
    }
    if (choice === 'deny') {
      sendRedirect(ctx.res, withParams(decision.redirectUri, { ...this.deniedParams(), state }));
      return;
    }
    const code = this.newCode();
    this.codes.set(code, {
      code,
      clientId: decision.app.clientId,
      username,
      requestedRedirectUri: decision.requestedRedirectUri,
      scope: decision.scope,
      codeChallenge: decision.codeChallenge,
      codeChallengeMethod: decision.codeChallengeMethod,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    });
    sendRedirect(ctx.res, withParams(decision.redirectUri, { code, state }));
  }

  // ---- the pages of a browser session (interactive consent) ------------------------------------------------

  private get name(): string {
    return this.displayName ?? this.kind;
  }

  /** Cookies do not tell ports apart: the browser session is per fake, the programmatic one shared. */
  private get browserCookie(): string {
    return `${SESSION_COOKIE}_${new URL(this.baseUrl).port}`;
  }

  private signedIn(ctx: RequestContext): string | undefined {
    const username = cookie(ctx.req, this.browserCookie) ?? cookie(ctx.req, SESSION_COOKIE);
    return username !== undefined && this.users.has(username) ? username : undefined;
  }

  private signIn(ctx: RequestContext): void {
    const form = parseForm(ctx.body);
    const returnTo = localPath(form.return_to);
    const login = form.login ?? '';
    if (!this.users.has(login)) {
      const page = signInPage(this.name, [...this.users.keys()], returnTo, 'No such user');
      sendHtml(ctx.res, 200, page);
      return;
    }
    send(ctx.res, 303, undefined, '', {
      location: returnTo,
      'set-cookie': `${this.browserCookie}=${encodeURIComponent(login)}; Path=/; HttpOnly; SameSite=Lax`,
    });
  }

  private signOut(ctx: RequestContext): void {
    send(ctx.res, 303, undefined, '', {
      location: localPath(parseForm(ctx.body).return_to),
      'set-cookie': `${this.browserCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    });
  }

  /** The consent form's answer: only from the user it was shown to, once. */
  private answerConsent(ctx: RequestContext): void {
    const { decision, form_token: formToken, ...query } = parseForm(ctx.body);
    const username = this.signedIn(ctx);
    const shownTo = formToken === undefined ? undefined : this.consentForms.get(formToken);
    if (username === undefined || shownTo !== username) {
      sendHtml(ctx.res, 403, htmlPage('Error', 'This consent form has expired. Start again.'));
      return;
    }
    this.consentForms.delete(formToken);
    this.decide(ctx, username, query, decision === 'approve' ? 'approve' : 'deny');
  }

  private browserGet(
    url: URL,
    headers: Record<string, string>,
  ): Promise<{ status: number; location?: string; body: string }> {
    return new Promise((resolve, reject) => {
      const onResponse = (res: IncomingMessage): void => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }),
        );
        res.on('error', reject);
      };
      // agent: false — no pooled keep-alive socket outlives the call.
      const req =
        url.protocol === 'https:'
          ? httpsGet(url, { headers, agent: false, ca: this.tlsCert }, onResponse)
          : httpGet(url, { headers, agent: false }, onResponse);
      req.on('error', reject);
    });
  }

  // ---- state helpers for the providers -----------------------------------------------------------------------

  protected clientValid(clientId: string | undefined, secret: string | undefined): boolean {
    const app = clientId === undefined ? undefined : this.apps.get(clientId);
    return app !== undefined && secret !== undefined && app.clientSecret === secret;
  }

  /** A usable code (known, unused, unexpired, issued to `clientId`); not consumed yet. */
  protected findCode(
    code: string | undefined,
    clientId: string | undefined,
  ): CodeRecord | undefined {
    const record = code === undefined ? undefined : this.codes.get(code);
    if (!record || record.used || record.expiresAt <= Date.now()) return undefined;
    return record.clientId === clientId ? record : undefined;
  }

  /** PKCE check of a code bound to a challenge (RFC 7636 §4.6). */
  protected verifierMatches(record: CodeRecord, verifier: string | undefined): boolean {
    if (record.codeChallenge === undefined || verifier === undefined || !isValidVerifier(verifier))
      return false;
    const derived = record.codeChallengeMethod === 'plain' ? verifier : s256(verifier);
    return derived === record.codeChallenge;
  }

  protected issuePair(
    grant: { username: string; clientId: string; scope: string },
    shape: {
      accessToken: string;
      refreshToken?: string;
      expires: boolean;
      refreshTtlSeconds?: number;
    },
  ): { access: TokenRecord; refresh?: TokenRecord } {
    const now = Date.now();
    const access: TokenRecord = {
      token: shape.accessToken,
      type: 'access',
      ...grant,
      issuedAt: now,
      expiresAt: shape.expires ? now + this.accessTokenTtlSeconds * 1000 : undefined,
      revoked: false,
    };
    this.tokens.set(access.token, access);
    if (shape.refreshToken === undefined) return { access };
    const refresh: TokenRecord = {
      token: shape.refreshToken,
      type: 'refresh',
      ...grant,
      issuedAt: now,
      expiresAt:
        shape.refreshTtlSeconds === undefined ? undefined : now + shape.refreshTtlSeconds * 1000,
      revoked: false,
      partner: access,
    };
    access.partner = refresh;
    this.tokens.set(refresh.token, refresh);
    return { access, refresh };
  }

  /** A live refresh token of `clientId` (any client when undefined). */
  protected findRefreshToken(
    token: string | undefined,
    clientId?: string,
  ): TokenRecord | undefined {
    const record = token === undefined ? undefined : this.tokens.get(token);
    if (!record || record.type !== 'refresh' || record.revoked) return undefined;
    if (record.expiresAt !== undefined && record.expiresAt <= Date.now()) return undefined;
    return clientId === undefined || record.clientId === clientId ? record : undefined;
  }

  /** Refresh-token rotation: the old refresh token dies (and its access token where the provider says so). */
  protected rotate(
    old: TokenRecord,
    revokeOldAccess: boolean,
    shape: { accessToken: string; refreshToken: string; refreshTtlSeconds?: number },
  ): { access: TokenRecord; refresh: TokenRecord } {
    old.revoked = true;
    if (revokeOldAccess && old.partner) old.partner.revoked = true;
    this.refreshes += 1;
    const grant = { username: old.username, clientId: old.clientId ?? '', scope: old.scope };
    const pair = this.issuePair(grant, { ...shape, expires: true });
    if (!pair.refresh) throw new Error('rotation without a refresh token');
    return { access: pair.access, refresh: pair.refresh };
  }

  /** Looks up a bearer credential of one of `types`; expiry wins over revocation, as at GitLab. */
  checkToken(token: string | undefined, types: TokenType[]): TokenCheck {
    const record = token === undefined || token === '' ? undefined : this.tokens.get(token);
    if (!record || !types.includes(record.type)) return { state: 'unknown' };
    if (record.expiresAt !== undefined && record.expiresAt <= Date.now())
      return { state: 'expired', record };
    if (record.revoked) return { state: 'revoked', record };
    const user = this.users.get(record.username);
    return user ? { state: 'ok', record, user } : { state: 'unknown' };
  }

  /** Revokes every token and pending code of one user's grant to one app. */
  protected revokeGrant(username: string, clientId: string): void {
    for (const record of this.tokens.values())
      if (record.username === username && record.clientId === clientId) record.revoked = true;
    for (const code of this.codes.values())
      if (code.username === username && code.clientId === clientId) code.used = true;
  }

  protected liveTokens(filter: (record: TokenRecord) => boolean): TokenRecord[] {
    return [...this.tokens.values()].filter((r) => !r.revoked && filter(r));
  }

  private expireAll(type: TokenType): void {
    const past = Date.now() - 1000;
    for (const record of this.tokens.values())
      if (record.type === type) record.expiresAt = Math.min(record.expiresAt ?? past, past);
  }
}

/** The grant_type a client sent, wherever it put it (for the record; providers parse their own way). */
function sentGrantType(query: Params, body: string): string | undefined {
  return query.grant_type ?? parseForm(body).grant_type ?? parseJsonObject(body)?.grant_type;
}

/** A same-origin path to go back to after signing in (anything else could send the browser elsewhere). */
function localPath(value: string | undefined): string {
  return value !== undefined && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}
