// The image step against a REAL builder (buildah) and a REAL registry (docker-registry with basic
// auth). Only the ECR API is mocked, and its DescribeImages answers from the real registry.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildahSandbox, pushBaseImage, type BuildahSandbox } from '../../test-support/buildah-sandbox.js';
import { mockEcrOnRegistry, testEcrClient } from '../../test-support/ecr-mock.js';
import { readManifest, skipReason, startRegistry, type RunningRegistry } from '../../test-support/registry.js';
import { MemoryReporter } from '../reporter.js';
import { buildAndPushImage, type ImageRequest } from './engine.js';
import { logout } from './login.js';
import { run, type Runner } from './process.js';
import { removeScratchDirs, scratchDir } from '../../test-support/scratch.js';

afterAll(removeScratchDirs);

const ecrMock = mockClient(ECRClient);
const ecr = testEcrClient();

describe('buildAndPushImage input checks', () => {
  beforeEach(() => {
    ecrMock.reset();
  });

  test('a missing Dockerfile fails with its name before any AWS call', async () => {
    const context = await scratchDir('image-ctx-');
    const request: ImageRequest = {
      context,
      repository: 'quiz-api',
      platform: 'linux/amd64',
      buildArgs: {},
      keepImages: 5,
    };
    await expect(buildAndPushImage(ecr, request, new MemoryReporter())).rejects.toThrow(
      /Dockerfile .*Dockerfile does not exist/,
    );
    await expect(
      buildAndPushImage(ecr, { ...request, context: `${context}/nope` }, new MemoryReporter()),
    ).rejects.toThrow(/build context .*nope is not a directory/);
    expect(ecrMock.calls()).toHaveLength(0);
  });
});

const reason = skipReason(['buildah', 'docker-registry', 'htpasswd']);
const describeReal = reason ? describe.skip : describe;

describeReal(`with real buildah and a real registry${reason ? ` (skipped: ${reason})` : ''}`, () => {
  const user = 'AWS';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const repository = 'quiz-api';
  const outputs: string[] = []; // everything the step printed, returned, threw or ran: checked for the password at the end
  let tokenPassword = password;
  let registry: RunningRegistry;
  let sandbox: BuildahSandbox;
  let context: string;

  /** Runs the image step as a deploy would, recording which commands it started. */
  async function deploy(gitSha: string) {
    const started: string[] = [];
    const runner: Runner = (command, args, options) => {
      started.push(`${command} ${args.join(' ')}`);
      return run(command, args, options);
    };
    const reporter = new MemoryReporter();
    const request: ImageRequest = {
      context,
      repository,
      platform: 'linux/amd64',
      buildArgs: { GREETING: 'hello' },
      keepImages: 10,
      gitSha,
      builder: 'buildah', // auto would pick buildx where a Docker engine runs, and buildx needs TLS
      tlsVerify: false,
    };
    try {
      const onLogin = (login: { registry: string }) => outputs.push(`logged in to ${login.registry}`);
      const result = await buildAndPushImage(ecr, request, reporter, { runner, onLogin });
      outputs.push(reporter.text, JSON.stringify(result), ...started);
      return { result, started, reporter };
    } catch (error) {
      outputs.push(reporter.text, String(error), ...started);
      throw Object.assign(error as Error, { started, reporter });
    }
  }

  const manifest = (reference: string) => readManifest(registry.host, repository, reference, { user, password });

  beforeAll(async () => {
    registry = await startRegistry({ user, password });
    sandbox = await buildahSandbox();
    const base = await pushBaseImage(sandbox, { host: registry.host, user, password });
    context = path.join(sandbox.dir, 'app');
    await mkdir(context);
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${base}\nARG GREETING\nCOPY app.txt /app.txt\n`);
    await writeFile(path.join(context, 'app.txt'), 'version 1\n');
    await writeFile(path.join(context, '.dockerignore'), '*.tmp\n');
    ecrMock.reset();
    mockEcrOnRegistry(ecrMock, { host: registry.host, user, password }, () => tokenPassword);
  });

  afterAll(async () => {
    await sandbox?.restore();
    await registry?.stop();
  });

  let first: Awaited<ReturnType<typeof buildAndPushImage>>;

  test('builds, pushes with the git SHA and content tags, and pins the digest the registry holds', async () => {
    const { result, reporter } = await deploy('1111111');
    first = result;

    expect(result).toMatchObject({ built: true, builder: 'buildah', registry: registry.host });
    expect(result.tags).toEqual(['1111111', expect.stringMatching(/^src-[0-9a-f]{16}$/)]);
    expect(result.imageUri).toBe(`${registry.host}/${repository}@${result.digest}`);
    for (const tag of result.tags) expect((await manifest(tag))?.digest).toBe(result.digest);
    expect((await manifest(result.tags[1]))?.body.layers).toHaveLength(2); // the base layer and ours
    expect(reporter.text).toContain('Created repository quiz-api');
    expect(reporter.text).toMatch(/COPY app\.txt/); // the builder's own output streams through the reporter
    expect(outputs).toContain(`logged in to ${registry.host}`); // the action saves this for its post-step logout
  });

  test('a redeploy of unchanged source starts no builder and pushes nothing; the image gains the new commit’s tag', async () => {
    await writeFile(path.join(context, 'notes.tmp'), 'ignored by .dockerignore\n');
    const { result, started, reporter } = await deploy('2222222');

    expect(result).toMatchObject({
      built: false,
      digest: first.digest,
      imageUri: first.imageUri,
      tags: ['2222222', first.tags[1]],
    });
    expect(result.builder).toBeUndefined();
    expect(started).toEqual([]);
    expect(reporter.text).toContain('Nothing to build or push');
    expect((await manifest('2222222'))?.digest).toBe(first.digest);
  });

  test('a one-byte change rebuilds and pushes a new digest', async () => {
    await writeFile(path.join(context, 'app.txt'), 'version 2\n');
    const { result } = await deploy('3333333');

    expect(result.built).toBe(true);
    expect(result.digest).not.toBe(first.digest);
    expect(result.tags[1]).not.toBe(first.tags[1]);
    expect((await manifest('3333333'))?.digest).toBe(result.digest);
    expect((await manifest(first.tags[1]))?.digest).toBe(first.digest); // the old image stays as it was
  });

  test('a failing build fails with the builder’s own error and pushes nothing', async () => {
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${registry.host}/base:1\nCOPY missing.txt /\n`);
    const error = await deploy('4444444').catch((e: Error) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/buildah build failed[\s\S]*missing\.txt/);
    expect(await manifest('4444444')).toBeUndefined();
  });

  test('a wrong registry password fails with the registry’s refusal and pushes nothing', async () => {
    await writeFile(path.join(context, 'Dockerfile'), `FROM ${registry.host}/base:1\nCOPY app.txt /app-v3.txt\n`);
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    tokenPassword = wrong;
    const error = (await deploy('5555555').catch((e: Error) => e)) as Error & { reporter: MemoryReporter };

    expect(error.message).toMatch(/login .*failed[\s\S]*(unauthorized|invalid username\/password)/i);
    expect(error.message).not.toContain(wrong);
    expect(error.reporter.secrets).toContain(wrong);
    expect(await manifest('5555555')).toBeUndefined();
  });

  test('a registry that refuses the push fails with its refusal and leaves no tag', async () => {
    const refusing = await startRegistry({ user, password, readOnly: true });
    try {
      ecrMock.reset();
      mockEcrOnRegistry(ecrMock, { host: refusing.host, user, password });
      tokenPassword = password;
      await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY app.txt /app.txt\n');
      const error = (await deploy('6666666').catch((e: Error) => e)) as Error;

      expect(error.message).toMatch(/buildah push .*6666666 failed[\s\S]*405, Method not allowed/);
      expect(await readManifest(refusing.host, repository, '6666666', { user, password })).toBeUndefined();
    } finally {
      await refusing.stop();
    }
  });

  test('logout, as the post step runs it, forgets the registry credentials', async () => {
    expect(await readFile(process.env.REGISTRY_AUTH_FILE!, 'utf8')).toContain(registry.host);
    expect(await logout('buildah', registry.host)).toBe(true);
    expect(await readFile(process.env.REGISTRY_AUTH_FILE!, 'utf8')).not.toContain(registry.host);
  });

  test('the password never appears in anything the step printed, returned or ran', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const output of outputs) expect(output).not.toContain(password);
  });
});
