// Runs the builders' commands. Every line a child prints goes through redact() before anyone
// sees it (the log, the error message), and secrets reach a child only on stdin, so the
// registry password can show up neither in the log nor in the process list.
import { spawn } from 'node:child_process';
import { abortError, DeadlineReached } from '../deploy/run-limits.js';

export interface RunOptions {
  /** Written to the child's stdin, then closed (a password for `login --password-stdin`). */
  stdin?: string;
  /** Values replaced by *** in every line captured or streamed. */
  secrets?: readonly string[];
  /** Receives each output line (stdout and stderr), already redacted. */
  onLine?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Aborting it stops the command (SIGTERM): the run was cancelled. */
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  /** The last lines of output (redacted), for error messages. */
  tail: string[];
}

/** Starts a command and waits for it; never throws for a non-zero exit (see runChecked). */
export type Runner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

const TAIL_LINES = 25;

export function redact(text: string, secrets: readonly string[] = []): string {
  return secrets.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), text);
}

export const run: Runner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    const tail: string[] = [];
    const emit = (line: string) => {
      const clean = redact(line, options.secrets);
      tail.push(clean);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(clean);
    };
    for (const stream of [child.stdout, child.stderr]) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        lines.filter((line) => line.trim()).forEach(emit);
      });
      stream.on('end', () => pending.trim() && emit(pending));
    }
    child.on('error', reject);
    // A cancelled command's own children may still hold its output pipes open: stop reading them.
    options.signal?.addEventListener(
      'abort',
      () => [child.stdout, child.stderr].forEach((stream) => stream.destroy()),
      { once: true },
    );
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), tail }));
    child.stdin.on('error', () => {}); // a child that exits without reading stdin is not our error
    child.stdin.end(options.stdin ?? '');
  });

/** A failed command, carrying the tool's own last output lines. */
export class CommandError extends Error {
  constructor(
    readonly what: string,
    readonly exitCode: number,
    readonly tail: readonly string[],
  ) {
    super(`${what} failed (exit code ${exitCode}):\n${tail.join('\n') || '(no output)'}`);
    this.name = 'CommandError';
  }
}

/** Runs a command and throws CommandError unless it exits 0, or says it was stopped when the run is cancelled. */
export async function runChecked(
  runner: Runner,
  what: string,
  command: string,
  args: readonly string[],
  options?: RunOptions,
): Promise<RunResult> {
  // A cancel keeps its short message; the step's deadline says it ran out during this command.
  const cancelled = () =>
    options?.signal?.reason instanceof DeadlineReached
      ? abortError(options.signal, what)
      : new Error(`Cancelled: stopped ${what}.`);
  if (options?.signal?.aborted) throw cancelled();
  const result = await runner(command, args, options).catch((error: unknown) => {
    throw options?.signal?.aborted ? cancelled() : error;
  });
  if (result.exitCode !== 0)
    throw options?.signal?.aborted ? cancelled() : new CommandError(what, result.exitCode, result.tail);
  return result;
}
