// The CLI as a process, on a machine whose AWS setup is wrong in the usual ways: each answered
// with one line that says what to do, never the SDK's "Could not load credentials" or "Unknown".
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(repo, 'node_modules/.bin/tsx');
const cli = join(repo, 'action/src/cli.ts');

describe('the stack commands on a badly set-up machine', () => {
  let dir: string;
  let server: Server;
  let endpoint: string;
  /** The Authorization header of each request the empty-404 endpoint received. */
  const seen: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cli-aws-'));
    await writeFile(join(dir, 'deploy.yml'), await readFile(join(repo, 'sample-api/deploy.yml')));
    await writeFile(join(dir, 'config'), '[profile dev]\nregion = eu-west-3\n');
    await writeFile(
      join(dir, 'credentials'),
      '[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = dev-secret\n',
    );
    // Not an AWS API: whatever is asked, an empty 404 (a wrong AWS_ENDPOINT_URL, a proxy's default page).
    server = createServer((request, response) => {
      seen.push(request.headers.authorization ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    const base = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      NODE_NO_WARNINGS: '1',
    };
    return new Promise((resolve) => {
      execFile(tsx, [cli, ...args], { cwd: dir, env: { ...base, ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }

  it('without credentials says how to get some', async () => {
    const result = await run(['delete', '--yes', '--aws-region', 'us-east-1'], { AWS_ENDPOINT_URL: endpoint });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      "private-fargate-api delete: no AWS credentials found: run 'aws configure' or 'aws sso login', pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n",
    );
  });

  it.each([
    [['--profile', 'deb'], {}, '--profile'],
    [[], { AWS_PROFILE: 'deb' }, 'AWS_PROFILE'],
  ])('names an unknown profile (%j %j) before any AWS call', async (args, env, source) => {
    const before = seen.length;
    const result = await run(['delete', '--yes', ...args], { ...env, AWS_ENDPOINT_URL: endpoint });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      `private-fargate-api delete: unknown AWS profile "deb" (${source}): not in ${join(dir, 'config')} or ${join(dir, 'credentials')}; did you mean dev?`,
    );
    expect(seen.length).toBe(before);
  });

  it.each([
    [['--profile', 'dev'], {}],
    [[], { AWS_PROFILE: 'dev' }],
  ])("takes the profile's Region and credentials (%j %j), and names an endpoint that is not AWS", async (args, env) => {
    const before = seen.length;
    const result = await run(['delete', '--yes', ...args], { ...env, AWS_ENDPOINT_URL: endpoint });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `private-fargate-api delete: the AWS endpoint AWS_ENDPOINT_URL=${endpoint} answered HTTP 404 with an empty body: it is not an AWS API (check the endpoint and --aws-region)\n`,
    );
    expect(seen.slice(before)[0]).toMatch(/Credential=AKIADEV\/\d{8}\/eu-west-3\/cloudformation\//);
  });

  it('names the host a failed DNS lookup was for', async () => {
    const result = await run(['delete', '--yes', '--profile', 'dev'], {
      AWS_ENDPOINT_URL: 'http://aws.nowhere.invalid',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'private-fargate-api delete: cannot reach aws.nowhere.invalid: the name does not resolve (DNS); check --aws-region, AWS_ENDPOINT_URL=http://aws.nowhere.invalid and the network\n',
    );
  });

  it('asks for a Region when neither the command line, the environment nor the profile has one', async () => {
    const result = await run(['delete', '--yes'], { AWS_ENDPOINT_URL: endpoint });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      'private-fargate-api delete: no AWS Region: pass --aws-region, set AWS_REGION or AWS_PROFILE',
    );
  });
});
