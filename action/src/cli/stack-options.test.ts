import { describe, expect, it } from '@jest/globals';
import type { CliIO, Command, ParsedArgs } from './command.js';
import { runCli } from './run.js';
import { buildCommand, deleteCommand, deployCommand, planCommand } from './stack-commands.js';
import { inputsFromArgs } from './stack-options.js';

const stackCommands = [planCommand, deployCommand, deleteCommand, buildCommand];

/** Runs argv against the stack commands' option tables, capturing the parsed args instead of running. */
async function parse(argv: string[]) {
  const out = { stdout: '', stderr: '', args: undefined as ParsedArgs | undefined };
  const capture = (command: Command): Command => ({
    ...command,
    run: async (args) => ((out.args = args), 0),
  });
  const io: CliIO = { cwd: '/', stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t) };
  const code = await runCli(stackCommands.map(capture), argv, io);
  return { code, ...out };
}

describe('stack command options', () => {
  it('lists in delete --help and build --help only the options those commands take', async () => {
    const del = (await parse(['delete', '--help'])).stdout;
    expect(del).toMatch(/--stack-name NAME/);
    expect(del).toMatch(/--yes +delete without asking/);
    expect(del).not.toMatch(/--image|--builder|--smoke-path|--s3-bucket|--delete-failed-stack/);
    const build = (await parse(['build', '--help'])).stdout;
    expect(build.match(/^ +(-h, )?--[\w-]+/gm)!.map((line) => line.trim())).toEqual([
      '--aws-region',
      '--profile',
      '--builder',
      '-h, --help',
    ]);
  });

  it('rejects an option of another command, with a pointer to help', async () => {
    const result = await parse(['delete', '--image', 'x']);
    expect(result).toMatchObject({
      code: 2,
      stderr:
        "private-fargate-api delete: Unknown option '--image'\nRun 'private-fargate-api delete --help' for usage.\n",
    });
  });

  it.each([
    [['deploy', '--enviroment', 'staging'], '--environment'],
    [['deploy', '--no-delete-failed-stak'], '--no-delete-failed-stack'],
    [['plan', '--stackname', 'x'], '--stack-name'],
  ])('suggests the option meant by %j', async (argv, meant) => {
    const result = await parse(argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`Unknown option '[^']+' \\(did you mean ${meant}\\?\\)$`));
  });

  it.each([
    [['--delete-failed-stack', 'false'], false],
    [['--delete-failed-stack=false'], false],
    [['--no-delete-failed-stack'], false],
    [['--delete-failed-stack', 'true'], true],
    [['--delete-failed-stack'], true],
    [[], true],
  ])('reads deploy %j as delete-failed-stack %s, as the action input', async (flags, expected) => {
    const result = await parse(['deploy', 'app.yml', ...flags]);
    expect(result.code).toBe(0);
    expect(result.args!.positionals).toEqual(['app.yml']);
    expect(inputsFromArgs(result.args!, 'deploy')['delete-failed-stack']).toBe(expected);
  });

  it('keeps --keep-failed-stack working, with a note to use the new name', async () => {
    const result = await parse(['deploy', '--keep-failed-stack']);
    const notes: string[] = [];
    expect(inputsFromArgs(result.args!, 'deploy', (note) => notes.push(note))['delete-failed-stack']).toBe(false);
    expect(notes).toEqual([
      "--keep-failed-stack is deprecated: use --no-delete-failed-stack (the action's delete-failed-stack: false)",
    ]);
    expect((await parse(['deploy', '--help'])).stdout).not.toContain('keep-failed-stack');
  });

  it('states the exit codes in the program help', async () => {
    const help = (await parse(['--help'])).stdout;
    expect(help).toContain(
      'Exit codes:\n  0  done\n  1  failed while doing the work (AWS, files, the build); what was done is printed\n  2  wrong command line or invalid config: nothing was done\n',
    );
  });
});
