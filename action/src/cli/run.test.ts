import { describe, expect, it, afterAll } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from './command.js';
import { renderCommand } from './render.js';
import { runCli } from './run.js';
import { schemaCommand } from './schema.js';
import { validateCommand } from './validate.js';
import { removeScratchDirs, scratchDir } from '../../test-support/scratch.js';

afterAll(removeScratchDirs);

const commands = [renderCommand, validateCommand, schemaCommand];

/** Runs the CLI in-process in `cwd`, capturing what it prints. */
async function cli(argv: string[], cwd = tmpdir()) {
  const out = { stdout: '', stderr: '' };
  const io: CliIO = { cwd, stdout: (t) => void (out.stdout += t), stderr: (t) => void (out.stderr += t) };
  const code = await runCli(commands, argv, io);
  return { code, ...out };
}

async function projectWith(config: string): Promise<string> {
  const dir = await scratchDir('cli-run-');
  await writeFile(join(dir, 'deploy.yml'), config);
  return dir;
}

const minimal = 'name: quiz\nservice:\n  port: 8080\n';

describe('runCli', () => {
  it('lists the commands on --help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}render {4}Render the CloudFormation/m);
    expect(result.stdout).toMatch(/^ {2}validate {2}/m);
  });

  it('shows the same list on stderr with exit 2 when no command is given', async () => {
    const result = await cli([]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('Usage: private-fargate-api <command> [options]');
  });

  it.each(commands.map((c) => c.name))('gives %s its own help with examples', async (name) => {
    for (const argv of [
      [name, '--help'],
      [name, '-h'],
      ['help', name],
    ]) {
      const result = await cli(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: private-fargate-api ${name}`);
      expect(result.stdout).toContain(`Examples:\n  private-fargate-api ${name}`);
    }
  });

  it('suggests the command that was probably meant', async () => {
    const result = await cli(['valdate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^private-fargate-api: unknown command "valdate" \(did you mean validate\?\)\n/);
  });

  it('rejects an extra argument', async () => {
    const result = await cli(['validate', 'a.yml', 'b.yml']);
    expect(result).toMatchObject({
      code: 2,
      stderr:
        'private-fargate-api validate: unexpected argument "b.yml"\nRun \'private-fargate-api validate --help\' for usage.\n',
    });
  });

  it('names an unknown option briefly', async () => {
    const result = await cli(['render', '--outdir', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^private-fargate-api render: Unknown option '--outdir'\n/);
  });
});

describe('render', () => {
  it('writes to the current directory by default, naming files after the config', async () => {
    const dir = await projectWith(minimal);
    expect((await cli(['render', '--format', 'json'], dir)).code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['deploy.yml', 'quiz.template.json']);
  });

  it('retains the table unless --environment names one whose data goes with the stack', async () => {
    const dir = await projectWith(`${minimal}storage: { dynamodb: true }\nretention: { deleteWithStack: ['pr-*'] }\n`);
    const tablePolicy = async (args: string[]) => {
      const { stdout } = await cli(['render', '--format', 'json', '--stdout', ...args], dir);
      return (JSON.parse(stdout) as { Resources: Record<string, { DeletionPolicy?: string }> }).Resources.Table
        .DeletionPolicy;
    };
    expect(await tablePolicy([])).toBe('Retain');
    expect(await tablePolicy(['--environment', 'production'])).toBe('Retain');
    expect(await tablePolicy(['--environment', 'pr-42'])).toBe('Delete');
  });

  it('prints only the bootstrap template with --bootstrap --stdout', async () => {
    const result = await cli(
      ['render', '--bootstrap', '--stdout'],
      await projectWith(`${minimal}bootstrap: { repository: me/quiz }\n`),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('AWS::IAM::Role');
    expect(result.stdout).not.toContain('AWS::ECS::Service');
  });

  it('prints only the diagram with --diagram --stdout', async () => {
    const result = await cli(['render', '--diagram', '--stdout'], await projectWith(minimal));
    expect(result.stdout).toMatch(/^# quiz\n\n```mermaid\n/);
  });

  it('asks for a bootstrap section instead of rendering half', async () => {
    const dir = await projectWith(minimal);
    const result = await cli(['render', '--bootstrap', '--out', 'out'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--bootstrap needs a bootstrap section in the config');
    expect(await readdir(dir)).toEqual(['deploy.yml']);
  });

  it.each([
    [['--stdout', '--bootstrap', '--diagram'], '--stdout prints one document'],
    [['--stdout', '--out', 'x'], '--stdout and --out exclude each other'],
  ])('rejects render %j', async (args, message) => {
    const result = await cli(['render', ...args], await projectWith(minimal));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('plan, deploy, delete and build', () => {
  it('ask for a Region before doing any work, as a usage problem', async () => {
    const { planCommand } = await import('./stack-commands.js');
    const saved = {
      AWS_REGION: process.env.AWS_REGION,
      AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION,
      AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
    };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = join(tmpdir(), 'no-such-aws-config');
    try {
      const out = { stdout: '', stderr: '' };
      const io: CliIO = {
        cwd: await projectWith(minimal),
        stdout: (t) => void (out.stdout += t),
        stderr: (t) => void (out.stderr += t),
      };
      expect(
        await runCli([planCommand], ['plan', '--image', `registry.example/quiz@sha256:${'a'.repeat(64)}`], io),
      ).toBe(2);
      expect(out).toEqual({
        stdout: '',
        stderr:
          "private-fargate-api plan: no AWS Region: pass --aws-region, set AWS_REGION or AWS_PROFILE\nRun 'private-fargate-api plan --help' for usage.\n",
      });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
