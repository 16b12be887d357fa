// What a command of the command line is. Each command lives in its own module under cli/ and is
// listed in cli.ts; the dispatcher (run.ts) parses its options with node:util parseArgs, prints
// its help and turns its errors into exit codes.
import type { ParseArgsConfig } from 'node:util';
import type { Ticker } from './heartbeat.js';

export const PROGRAM = 'private-fargate-api';

export const EXIT = {
  ok: 0,
  /** Something went wrong while doing the work (AWS, files, a renderer bug). */
  failure: 1,
  /** The command line or the config is wrong: nothing was done. */
  usage: 2,
} as const;

/** Where a command reads and writes: the process in real use, buffers in tests. */
export interface CliIO {
  /** Directory relative paths on the command line are resolved against. */
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** What `--version` prints. */
  version?: string;
  /** AWS_PROFILE, NO_COLOR and friends; process.env when not given. */
  env?: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal (colour). */
  stdoutIsTTY?: boolean;
  /** Asks a person and returns the answer; absent when no one can answer (stdin is not a terminal). */
  ask?: (question: string) => Promise<string>;
  /** Drives the heartbeat during quiet waits; the system clock when not given. */
  ticker?: Ticker;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for the program's command list. */
  summary: string;
  /** The full `--help` text: usage, options and examples. */
  help: string;
  options: Options;
  /** Most positional arguments the command takes. */
  maxPositionals: number;
  run: (args: ParsedArgs, io: CliIO) => Promise<number>;
}

/** A mistake on the command line: reported with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The value of a `--name VALUE` option that must be one of `allowed`. */
export function oneOf<T extends string>(
  name: string,
  value: string | boolean | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${String(value)}"`);
}
