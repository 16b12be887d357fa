// The command line as a user runs it: a real process in a scratch directory, its files, exit
// code and output.
import { describe, expect, it, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { removeScratchDirs, scratchDir } from '../test-support/scratch.js';

afterAll(removeScratchDirs);

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');
const cli = join(repo, 'action/src/cli.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, [cli, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A scratch directory holding the sample quiz's deploy.yml (plus `extra` lines). */
async function project(extra = ''): Promise<string> {
  const dir = await scratchDir('cli-');
  const sample = await readFile(join(repo, 'sample-api/deploy.yml'), 'utf8');
  await writeFile(join(dir, 'deploy.yml'), sample + extra);
  return dir;
}

describe('private-fargate-api render', () => {
  it.concurrent('writes the stack template, the bootstrap template and the diagram', async () => {
    const dir = await project('bootstrap:\n  repository: example-org/pubquiz\n');
    const result = await run(dir, 'render', '--out', 'out', '--bootstrap', '--diagram');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^wrote out\/pubquiz\.template\.yaml \(\d+ bytes\)/m);
    // The monthly estimate comes with the template, without AWS.
    expect(result.stdout).toMatch(/^Cost: \$\d+\.\d\d\/month .*prices as of \d{4}-\d{2}-\d{2}\)$/m);
    expect(result.stdout).toMatch(/^ {2}NAT gateways +1 × 730 h +\$/m);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'pubquiz.bootstrap.template.yaml',
      'pubquiz.diagram.md',
      'pubquiz.template.yaml',
    ]);
    const stack = parse(await readFile(join(dir, 'out/pubquiz.template.yaml'), 'utf8'));
    expect(stack.Parameters).toHaveProperty('ImageUri');
    expect(Object.values(stack.Resources).map((r) => (r as { Type: string }).Type)).toContain('AWS::ECS::Service');
    expect(await readFile(join(dir, 'out/pubquiz.diagram.md'), 'utf8')).toContain('```mermaid');
  });

  it.concurrent('says which routes are open without auth: all of them for the minimal config', async () => {
    const dir = await scratchDir('cli-');
    await writeFile(join(dir, 'deploy.yml'), 'name: quiz\nservice: { port: 8080 }\n');
    const written = await run(dir, 'render', '--out', 'out');
    expect(written.stdout).toMatch(/^Open to anyone on the internet, without auth: .*\{proxy\+\}/m);
    const printed = await run(dir, 'render', '--stdout');
    expect(printed.stdout).not.toContain('Open to anyone');
    expect(printed.stderr).toMatch(/^Open to anyone on the internet, without auth: .*\{proxy\+\}/m);
  });

  it.concurrent('prints JSON on stdout and writes nothing', async () => {
    const dir = await project();
    const result = await run(dir, 'render', 'deploy.yml', '--format', 'json', '--stdout');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(await readdir(dir)).toEqual(['deploy.yml']);
  });

  it.concurrent('lists every problem of an invalid config on stderr, exits 2 and writes nothing', async () => {
    const dir = await project('network:\n  cidr: 10.40.0.0/27\n  natgateways: 0\n');
    const result = await run(dir, 'render', '--out', 'out');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('deploy.yml has 2 problems:');
    expect(result.stderr).toMatch(/deploy\.yml:\d+:9 network\.cidr: \/27 is outside \/16 to \/24/);
    expect(result.stderr).toMatch(/deploy\.yml:\d+:3 network\.natgateways: unknown key: did you mean natGateways\?/);
    expect(await readdir(dir)).toEqual(['deploy.yml']);
  });

  it.concurrent('stops quietly, exit 0, when the reader of its output closes the pipe early', async () => {
    const routes = Array.from({ length: 150 }, (_, i) => `    - { path: /r${i}, methods: [GET, POST] }`).join('\n');
    const dir = await scratchDir('cli-');
    await writeFile(join(dir, 'deploy.yml'), `name: quiz\nservice: { port: 80 }\napi:\n  routes:\n${routes}\n`);
    const piped = await new Promise<{ code: string; stderr: string }>((resolve) => {
      execFile(
        'bash',
        [
          '-c',
          `"${tsx}" "${cli}" render deploy.yml --stdout --format json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`,
        ],
        { cwd: dir },
        (_, stdout, stderr) => resolve({ code: stdout.trim(), stderr }),
      );
    });
    expect(piped.code).toBe('0');
    expect(piped.stderr).toBe(
      'Open to anyone on the internet, without auth: ' +
        Array.from({ length: 20 }, (_, i) => `GET,POST /r${i}`).join('; ') +
        '; and 130 more\n',
    );
  });

  it.concurrent('exits 2 when --out names a file rather than a directory', async () => {
    const dir = await project();
    const result = await run(dir, 'render', '--out', 'deploy.yml');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('--out deploy.yml is a file; it names the directory the templates are written to');
  });

  it.concurrent('exits 2 with a pointer to --help on a bad option', async () => {
    const result = await run(await project(), 'render', '--format', 'toml');
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('--format must be one of yaml, json, not "toml"');
    expect(result.stderr).toContain("Run 'private-fargate-api render --help' for usage.");
  });
});

describe('private-fargate-api validate, schema and --version', () => {
  it.concurrent('validate summarises a valid config and names the routes open without auth', async () => {
    const dir = await project();
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const result = await run(dir, 'validate');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'deploy.yml is valid. pubquiz: 2-6 tasks of 0.25 vCPU / 512 MiB on port 8080, 1 NAT gateway, VPC link v2, 11 routes on stage prod\n' +
        'Open to anyone on the internet, without auth: GET /health; GET /quizzes/{quizId}; POST /quizzes/{quizId}/teams; ' +
        'GET /quizzes/{quizId}/rounds/{round}/form; PUT,POST /quizzes/{quizId}/rounds/{round}/answers; GET /quizzes/{quizId}/scoreboard\n',
    );
  });

  it.concurrent(
    'validate refuses what a deploy would: no Dockerfile to build, or a template over the limits',
    async () => {
      const routes = Array.from({ length: 260 }, (_, i) => `    - { path: /r${i}, methods: [GET] }`).join('\n');
      const dir = await project();
      await writeFile(join(dir, 'deploy.yml'), `name: quiz\nservice: { port: 80 }\napi:\n  routes:\n${routes}\n`);
      const result = await run(dir, 'validate');
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('deploy.yml has 2 problems:');
      expect(result.stderr).toContain("over CloudFormation's limit of 500 per stack");
      expect(result.stderr).toContain(
        'deploy.yml image.context: there is no Dockerfile at "Dockerfile" (the action builds from it unless its image input names a ready image)',
      );
      expect(result.stderr).not.toContain('Nothing was rendered');
    },
  );

  it.concurrent('validate exits 2 when there is no deploy.yml', async () => {
    const result = await run(await scratchDir('cli-'), 'validate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('deploy.yml no such file');
  });

  it.concurrent('--version prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
    expect(await run(tmpdir(), '--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.concurrent('schema prints the committed JSON Schema', async () => {
    const result = await run(await scratchDir('cli-'), 'schema');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(await readFile(join(repo, 'schema/config.schema.json'), 'utf8'));
  });
});
