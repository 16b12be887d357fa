// The dispatcher: picks the command, parses its options, prints help, and maps what goes wrong
// to an exit code (0 done, 1 failed, 2 wrong command line or invalid config: nothing done).
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load.js';
import { suggestKey } from '../config/problems.js';
import { type CliIO, type Command, EXIT, type Options, type ParsedArgs, PROGRAM, UsageError } from './command.js';
import { explainAwsError } from './aws-errors.js';
import { DEPRECATED, normaliseFlagValues } from './stack-options.js';

export function programHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${PROGRAM}: render and deploy a private Fargate API (internal NLB, VPC link, API Gateway)`,
    '',
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for a command's options and examples, '${PROGRAM} --version' for the version.`,
    '',
    'Exit codes:',
    `  ${EXIT.ok}  done`,
    `  ${EXIT.failure}  failed while doing the work (AWS, files, the build); what was done is printed`,
    `  ${EXIT.usage}  wrong command line or invalid config: nothing was done`,
    '',
  ].join('\n');
}

export async function runCli(commands: Command[], argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(programHelp(commands));
    return EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${io.version ?? 'unknown'}\n`);
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = commands.find((c) => c.name === rest[0]);
    io.stdout(command ? command.help : programHelp(commands));
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    const guess = suggestKey(
      name,
      commands.map((c) => c.name),
    );
    io.stderr(
      `${PROGRAM}: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ''}\n\n${programHelp(commands)}`,
    );
    return EXIT.usage;
  }
  const options: Options = { ...command.options, help: { type: 'boolean', short: 'h' } };
  try {
    const { values, positionals } = parseArgs({
      args: normaliseFlagValues(rest, options),
      options,
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(command.help);
      return EXIT.ok;
    }
    if (positionals.length > command.maxPositionals) {
      throw new UsageError(`unexpected argument "${positionals[command.maxPositionals]}"`);
    }
    // No option is declared `multiple`, so every value is a string or a boolean.
    return await command.run({ values: values as ParsedArgs['values'], positionals }, io);
  } catch (error) {
    return report(error, command, options, io);
  }
}

/** What a config error stopped, said after the problems. */
const AFTER_CONFIG_ERROR: Record<string, string> = {
  render: 'Nothing was rendered.\n',
  plan: 'Nothing was sent to AWS.\n',
  deploy: 'Nothing was sent to AWS.\n',
  delete: 'Nothing was sent to AWS.\n',
  build: 'Nothing was built or sent to AWS.\n',
  bootstrap: 'Nothing was sent to AWS.\n',
};

function report(error: unknown, command: Command, options: Options, io: CliIO): number {
  if (error instanceof ConfigError) {
    io.stderr(`${error.message}\n${AFTER_CONFIG_ERROR[command.name] ?? ''}`);
    return EXIT.usage;
  }
  // parseArgs throws TypeErrors with codes like ERR_PARSE_ARGS_UNKNOWN_OPTION.
  const code = (error as { code?: string }).code ?? '';
  if (error instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
    // parseArgs explains how to pass a positional that starts with '-' too; the first sentence is enough here.
    const first = (error as Error).message.replace(/\. To specify.*/s, '');
    const message = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? first + optionGuess(first, options) : first;
    io.stderr(`${PROGRAM} ${command.name}: ${message}\nRun '${PROGRAM} ${command.name} --help' for usage.\n`);
    return EXIT.usage;
  }
  const setupProblem = explainAwsError(error);
  if (setupProblem) {
    io.stderr(`${PROGRAM} ${command.name}: ${setupProblem}\n`);
    return EXIT.failure;
  }
  // A failed deploy's message already says what went wrong; the stack trace is for our own bugs.
  const detail =
    error instanceof Error ? (process.env.DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
  io.stderr(`${PROGRAM} ${command.name} failed: ${detail}\n`);
  return EXIT.failure;
}

/** " (did you mean --out?)" for an unknown option close to one the command takes. */
function optionGuess(message: string, options: Options): string {
  const unknown = /'--?([^'=]+)/.exec(message)?.[1];
  const known = Object.keys(options).filter((name) => name !== DEPRECATED);
  const guess = unknown && suggestKey(unknown.replace(/^no-/, ''), known);
  return guess ? ` (did you mean --${unknown.startsWith('no-') ? 'no-' : ''}${guess}?)` : '';
}
