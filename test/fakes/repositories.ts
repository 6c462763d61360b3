import { createHash, randomBytes } from 'node:crypto';

/**
 * What the fake providers host: namespaces (users, organizations, groups, workspaces) and git repositories with
 * real history — commits with file snapshots, branches and tags pointing at them. Provider-neutral: each fake
 * formats it its provider's way. Commits only ever get added (`commit`), so a write can be checked afterwards
 * through `head`, `fileAt` and `history`.
 */

export type NamespaceKind = 'user' | 'org';

export interface FakeNamespace {
  readonly id: number;
  /** The full path (`acme/platform` for a GitLab subgroup). */
  readonly path: string;
  readonly name: string;
  readonly kind: NamespaceKind;
  /** Gitee's three kinds; the others tell users from organizations only. */
  readonly giteeType?: 'personal' | 'group' | 'enterprise';
  readonly members: Set<string>;
}

export interface FakeCommit {
  readonly sha: string;
  readonly message: string;
  /** ISO 8601 with the author's offset, as the provider shows it. */
  readonly authoredAt: string;
  readonly parents: readonly string[];
  /** Every file of the commit: path → content. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Submodule paths (gitlinks): in the tree, not files. */
  readonly submodules: ReadonlySet<string>;
}

export interface TreeEntry {
  readonly path: string;
  readonly name: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  readonly size?: number;
}

/** `git hash-object`: SHA-1 of `blob <size>\0<content>` (computed here independently of the service's code). */
export function blobSha(content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
}

/** A webhook as the provider keeps it; its secret is kept to check it arrived, as a provider must. */
export interface FakeHook {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  /** The provider's own event names. */
  readonly events: readonly string[];
  /** What else the request said (content type, TLS verification, encryption type…). */
  readonly settings: Readonly<Record<string, unknown>>;
}

let nextHookNumber = 1;

/** A hook id from one sequence across the fakes (providers number hooks per instance). */
export function newHookNumber(): number {
  return nextHookNumber++;
}

export class FakeRepo {
  readonly branches = new Map<string, string>();
  readonly tags = new Map<string, string>();
  /** Annotated tags' messages by tag name (a lightweight tag has none). */
  readonly tagMessages = new Map<string, string>();
  /** Its webhooks by id. */
  readonly hooks = new Map<string, FakeHook>();
  readonly commits = new Map<string, FakeCommit>();
  readonly collaborators = new Set<string>();

  constructor(
    readonly id: number,
    readonly owner: FakeNamespace,
    /** Path or slug. */
    readonly name: string,
    readonly displayName: string,
    readonly isPrivate: boolean,
    public defaultBranch: string,
  ) {}

  get fullPath(): string {
    return `${this.owner.path}/${this.name}`;
  }

  get isEmpty(): boolean {
    return this.branches.size === 0;
  }

  /**
   * A new commit on `branch` (created from the default branch's head when new): `files` are added or replaced,
   * `null` deletes one.
   */
  commit(
    branch: string,
    options: {
      message: string;
      files?: Record<string, Buffer | string | null>;
      submodules?: string[];
      authoredAt?: string;
    },
  ): FakeCommit {
    const parentSha = this.branches.get(branch) ?? this.branches.get(this.defaultBranch);
    const parent = parentSha === undefined ? undefined : this.commits.get(parentSha);
    const files = new Map(parent?.files);
    for (const [path, content] of Object.entries(options.files ?? {})) {
      if (content === null) files.delete(path);
      else files.set(path, typeof content === 'string' ? Buffer.from(content) : content);
    }
    const commit: FakeCommit = {
      sha: randomBytes(20).toString('hex'),
      message: options.message,
      authoredAt: options.authoredAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      parents: parent ? [parent.sha] : [],
      files,
      submodules: new Set([...(parent?.submodules ?? []), ...(options.submodules ?? [])]),
    };
    this.commits.set(commit.sha, commit);
    this.branches.set(branch, commit.sha);
    return commit;
  }

  /** A branch, tag or (abbreviated) commit SHA. */
  resolve(ref: string | undefined): FakeCommit | undefined {
    const name = ref ?? this.defaultBranch;
    const sha = this.branches.get(name) ?? this.tags.get(name);
    if (sha !== undefined) return this.commits.get(sha);
    if (!/^[0-9a-f]{7,40}$/i.test(name)) return undefined;
    const found = [...this.commits.values()].filter((c) => c.sha.startsWith(name.toLowerCase()));
    return found.length === 1 ? found[0] : undefined;
  }

  head(branch: string): FakeCommit | undefined {
    const sha = this.branches.get(branch);
    return sha === undefined ? undefined : this.commits.get(sha);
  }

  /** The commit and its first-parent ancestors, newest first. */
  history(ref: string | undefined): FakeCommit[] {
    const out: FakeCommit[] = [];
    for (
      let c = this.resolve(ref);
      c;
      c = c.parents[0] ? this.commits.get(c.parents[0]) : undefined
    )
      out.push(c);
    return out;
  }

  fileAt(ref: string | undefined, path: string): Buffer | undefined {
    return this.resolve(ref)?.files.get(path);
  }

  /** The entries directly under `dir` ('' for the root) at a commit, directories first, by name. */
  entries(commit: FakeCommit, dir: string): TreeEntry[] {
    const prefix = dir === '' ? '' : `${dir}/`;
    const found = new Map<string, TreeEntry>();
    const add = (path: string, kind: 'blob' | 'commit', content?: Buffer) => {
      if (!path.startsWith(prefix)) return;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) {
        const sha = content ? blobSha(content) : commit.sha;
        found.set(rest, { path, name: rest, type: kind, sha, size: content?.length });
      } else {
        const name = rest.slice(0, slash);
        const sub = `${prefix}${name}`;
        found.set(name, { path: sub, name, type: 'tree', sha: treeSha(commit, sub) });
      }
    };
    for (const [path, content] of commit.files) add(path, 'blob', content);
    for (const path of commit.submodules) add(path, 'commit');
    return [...found.values()].sort(
      (a, b) =>
        Number(b.type === 'tree') - Number(a.type === 'tree') || a.name.localeCompare(b.name),
    );
  }

  /** Every entry under `dir`, recursively, parents before children. */
  walk(commit: FakeCommit, dir = ''): TreeEntry[] {
    return this.entries(commit, dir).flatMap((e) =>
      e.type === 'tree' ? [e, ...this.walk(commit, e.path)] : [e],
    );
  }

  /** What a path is at a commit: a file, a directory, a submodule, or nothing. */
  kindAt(commit: FakeCommit, path: string): 'blob' | 'tree' | 'commit' | undefined {
    if (commit.files.has(path)) return 'blob';
    if (commit.submodules.has(path)) return 'commit';
    const prefix = `${path}/`;
    for (const p of [...commit.files.keys(), ...commit.submodules])
      if (p.startsWith(prefix)) return 'tree';
    return undefined;
  }

  /** The directory a tree SHA (from `entries`) stands for at a commit, '' for the root. */
  treeAt(sha: string): { commit: FakeCommit; dir: string } | undefined {
    for (const commit of this.commits.values()) {
      if (treeSha(commit, '') === sha) return { commit, dir: '' };
      for (const entry of this.walk(commit))
        if (entry.type === 'tree' && entry.sha === sha) return { commit, dir: entry.path };
    }
    return undefined;
  }
}

/** A tree's id: stable for a directory of a commit (the fakes need no content addressing of trees). */
export function treeSha(commit: FakeCommit, dir: string): string {
  return createHash('sha1').update(`tree ${commit.sha} ${dir}`).digest('hex');
}

/** Every namespace and repository of one fake provider. */
export class FakeRepositories {
  private readonly namespaces = new Map<string, FakeNamespace>();
  private readonly repos = new Map<string, FakeRepo>();
  private nextId = 1;

  constructor(private readonly firstId: number) {}

  addNamespace(
    path: string,
    options: {
      kind: NamespaceKind;
      name?: string;
      members?: string[];
      giteeType?: FakeNamespace['giteeType'];
    },
  ): FakeNamespace {
    const key = path.toLowerCase();
    if (this.namespaces.has(key)) throw new Error(`fake namespace ${path} exists`);
    const namespace: FakeNamespace = {
      id: this.firstId + this.nextId++,
      path,
      name: options.name ?? path.split('/').at(-1) ?? path,
      kind: options.kind,
      giteeType: options.giteeType,
      members: new Set(options.members ?? []),
    };
    this.namespaces.set(key, namespace);
    return namespace;
  }

  namespace(path: string): FakeNamespace | undefined {
    return this.namespaces.get(path.toLowerCase());
  }

  allNamespaces(): FakeNamespace[] {
    return [...this.namespaces.values()];
  }

  /** The namespaces `username` belongs to: their own, then the others, in creation order. */
  namespacesOf(username: string): FakeNamespace[] {
    return this.allNamespaces().filter((n) => n.members.has(username));
  }

  addRepo(
    owner: string,
    name: string,
    options: { displayName?: string; private?: boolean; defaultBranch?: string } = {},
  ): FakeRepo {
    const namespace = this.namespace(owner);
    if (!namespace) throw new Error(`fake namespace ${owner} does not exist`);
    const key = `${owner}/${name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`fake repository ${owner}/${name} exists`);
    const repo = new FakeRepo(
      this.firstId + this.nextId++,
      namespace,
      name,
      options.displayName ?? name,
      options.private ?? true,
      options.defaultBranch ?? 'main',
    );
    this.repos.set(key, repo);
    return repo;
  }

  repo(owner: string, name: string): FakeRepo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): FakeRepo | undefined {
    return [...this.repos.values()].find((r) => r.id === id);
  }

  reposOf(owner: string): FakeRepo[] {
    return [...this.repos.values()].filter(
      (r) => r.owner.path.toLowerCase() === owner.toLowerCase(),
    );
  }

  /** Public repositories, and private ones of the user's namespaces or where they collaborate. */
  canSee(username: string, repo: FakeRepo): boolean {
    return !repo.isPrivate || repo.owner.members.has(username) || repo.collaborators.has(username);
  }

  /** The organizations (groups, workspaces) `username` is a member of. */
  orgsOf(username: string): FakeNamespace[] {
    return this.namespacesOf(username).filter((n) => n.kind === 'org');
  }

  /** Every repository `username` can see. */
  visibleTo(username: string): FakeRepo[] {
    return [...this.repos.values()].filter((r) => this.canSee(username, r));
  }
}

/** A UTC timestamp (`…Z`) as a provider shows it in its own offset: `inOffset('2024-05-01T06:30:00Z', 120)` → `2024-05-01T08:30:00+02:00`. */
export function inOffset(utc: string, offsetMinutes: number, fraction = ''): string {
  const local = new Date(Date.parse(utc) + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0 && fraction === '') return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${fraction}${sign}${hh}:${mm}`;
}
