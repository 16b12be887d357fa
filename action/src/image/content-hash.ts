// The content hash names an image by what goes into it: the files the builder would see (the
// context after .dockerignore), their paths, kinds and modes, the Dockerfile, the build args,
// the target and the platform. Paths are sorted and use '/', so the hash is the same on every
// machine and for every directory listing order; when it matches a tag in ECR, nothing is built.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import dockerignoreModule from '@balena/dockerignore';

// A CommonJS module whose factory is both module.exports and its `.default`; the types know only the latter.
const dockerignore = dockerignoreModule.default;

export interface BuildInputs {
  /** Build context directory. */
  context: string;
  /** Dockerfile path (absolute, or relative to the working directory). */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  platform: string;
}

/** Bumped whenever what goes into the hash changes, so old tags are never wrongly reused. */
const FORMAT = 'private-fargate-api/content-hash/v1';

/** The tag an image built from these inputs carries: `src-` + 16 hex digits of the hash. */
export function contentTag(hash: string): string {
  return `src-${hash.slice(0, 16)}`;
}

export async function contentHash(inputs: BuildInputs): Promise<string> {
  const hash = createHash('sha256');
  const field = (name: string, value: string | Buffer) => {
    hash.update(`${name}\0${Buffer.byteLength(value)}\0`);
    hash.update(value);
  };
  field('format', FORMAT);
  field('dockerfile', await readFile(inputs.dockerfile));
  field('platform', inputs.platform);
  field('target', inputs.target ?? '');
  for (const [key, value] of Object.entries(inputs.buildArgs).sort(byKey)) field(`arg ${key}`, value);
  for (const entry of await contextEntries(inputs)) field(`${entry.kind} ${entry.mode} ${entry.path}`, entry.content);
  return hash.digest('hex');
}

interface Entry {
  path: string;
  kind: 'file' | 'dir' | 'link';
  mode: string;
  /** A file's sha256, a link's target, nothing for a directory. */
  content: string;
}

/** Every entry of the context the builder would receive, sorted by path. */
export async function contextEntries({
  context,
  dockerfile,
}: Pick<BuildInputs, 'context' | 'dockerfile'>): Promise<Entry[]> {
  const rules = await ignoreRules(context, dockerfile);
  const ignore = dockerignore({ ignorecase: false }).add(rules);
  // A directory can be skipped unread only when no `!` rule could bring back something inside it.
  const hasExceptions = rules.some((rule) => rule.trim().startsWith('!'));
  const entries: Entry[] = [];

  const files: Entry[] = [];

  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(path.join(context, dir))) {
      const relative = dir ? `${dir}/${name}` : name;
      const absolute = path.join(context, relative);
      const stat = await lstat(absolute);
      const ignored = ignore.ignores(relative);
      if (stat.isDirectory()) {
        if (!ignored) entries.push({ path: relative, kind: 'dir', mode: mode(stat.mode), content: '' });
        if (!ignored || hasExceptions) await walk(relative);
      } else if (!ignored && stat.isSymbolicLink()) {
        entries.push({ path: relative, kind: 'link', mode: mode(stat.mode), content: await readlink(absolute) });
      } else if (!ignored && stat.isFile()) {
        files.push({ path: relative, kind: 'file', mode: mode(stat.mode), content: '' });
      }
    }
  }

  await walk('');
  await forEachLimited(files, 32, async (file) => {
    file.content = createHash('sha256')
      .update(await readFile(path.join(context, file.path)))
      .digest('hex');
  });
  return [...entries, ...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Runs fn over items with at most `limit` at a time (a large context must not exhaust file handles). */
async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = items.values(); // shared: each item goes to the one worker that takes it
  const worker = async () => {
    for (const item of queue) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** BuildKit reads `<Dockerfile>.dockerignore` first, then the context's `.dockerignore`. */
async function ignoreRules(context: string, dockerfile: string): Promise<string[]> {
  for (const file of [`${dockerfile}.dockerignore`, path.join(context, '.dockerignore')]) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return text.split(/\r?\n/);
  }
  return [];
}

const mode = (value: number) => (value & 0o7777).toString(8);
const byKey = ([a]: [string, string], [b]: [string, string]) => (a < b ? -1 : a > b ? 1 : 0);
