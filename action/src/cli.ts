#!/usr/bin/env node
// The command line, `private-fargate-api <command>`: the same config, renderer and engines as the
// action, outside GitHub. Each command is a module under cli/; add new ones to this table.
import { createInterface } from 'node:readline/promises';
import packageJson from '../../package.json' with { type: 'json' };
import { bootstrapCommand } from './cli/bootstrap.js';
import type { Command } from './cli/command.js';
import { renderCommand } from './cli/render.js';
import { runCli } from './cli/run.js';
import { schemaCommand } from './cli/schema.js';
import { buildCommand, deleteCommand, deployCommand, planCommand } from './cli/stack-commands.js';
import { validateCommand } from './cli/validate.js';

const commands: Command[] = [
  renderCommand,
  validateCommand,
  schemaCommand,
  planCommand,
  deployCommand,
  deleteCommand,
  buildCommand,
  bootstrapCommand,
];

// `… | head` closes the pipe early: that is the reader saying it has enough, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(commands, process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: packageJson.version,
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY,
  // Only a person at a terminal can answer a question; a pipe or CI gets none (delete then needs --yes).
  ask: process.stdin.isTTY ? ask : undefined,
});

async function ask(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}
