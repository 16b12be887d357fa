// The image step end to end: the bundled action, run as a runner runs it, builds with real
// buildah and pushes to a real registry (with basic auth) that the loopback ECR hands out; a
// second run of unchanged source builds nothing; the post step logs out; the password never
// shows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildahSandbox, type BuildahSandbox } from '../test-support/buildah-sandbox.js';
import { awsEnvironment, startFakeAws, type FakeAws } from '../test-support/fake-aws/index.js';
import { readManifest, skipReason, startRegistry, type RunningRegistry } from '../test-support/registry.js';
import { NODES, runAction } from './run-action.js';
import { removeScratchDirs, scratchDir } from '../test-support/scratch.js';

afterAll(removeScratchDirs);

const reason = skipReason(['buildah', 'docker-registry', 'htpasswd']);
const describeReal = reason ? describe.skip : describe;
const login = { user: 'AWS', password: 'p4ss-for-the-loopback-registry' };

describeReal(`building the image from the action${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let registry: RunningRegistry;
  let sandbox: BuildahSandbox;
  let fake: FakeAws;
  let app: string;

  beforeAll(async () => {
    registry = await startRegistry(login);
    sandbox = await buildahSandbox();
    fake = await startFakeAws({
      stackName: 'tinyapi',
      changeSetReadyMs: 200,
      resourceStepMs: 5,
      ecr: {
        username: login.user,
        password: login.password,
        proxyEndpoint: `http://${registry.host}`,
        mirrorRegistry: true,
      },
    });
    app = await scratchDir('tinyapi-');
    await writeFile(join(app, 'deploy.yml'), 'name: tinyapi\nimage:\n  context: .\nservice:\n  port: 8080\n');
    await writeFile(join(app, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    await writeFile(join(app, 'hello.txt'), 'hello\n');
  });
  afterAll(async () => {
    await fake?.close();
    await registry?.stop();
    await sandbox?.restore();
  });

  const deploy = () =>
    runAction({
      node: NODES.node24,
      inputs: { config: join(app, 'deploy.yml'), builder: 'buildah', 'smoke-path': '', 'timeout-minutes': '2' },
      env: {
        ...awsEnvironment(fake.url),
        CONTAINERS_STORAGE_CONF: process.env.CONTAINERS_STORAGE_CONF!,
        REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE!,
      },
      timeoutMs: 120_000,
    });

  it('builds, pushes, pins the digest in the stack, and never shows the password', async () => {
    const run = await deploy();
    expect(run.code).toBe(0);
    const imageUri = run.outputs['image-uri'];
    expect(imageUri).toMatch(new RegExp(`^${registry.host}/tinyapi@sha256:[0-9a-f]{64}$`));
    const manifest = await readManifest(registry.host, 'tinyapi', imageUri.split('@')[1], login);
    expect(manifest?.digest).toBe(imageUri.split('@')[1]);
    expect(
      await readManifest(registry.host, 'tinyapi', '0123456789abcdef0123456789abcdef01234567', login),
    ).toBeDefined();
    expect(fake.state().stacks.find((s) => s.name === 'tinyapi')!.parameters.ImageUri).toBe(imageUri);
    expect(fake.state().repositories[0]).toMatchObject({ repositoryName: 'tinyapi', scanOnPush: true });
    // The runner hides every value it was told to mask with ::add-mask:: (that command line
    // itself is never shown); nothing else may carry the password.
    // The authorization token ECR hands out is the password in base64: it is a secret too.
    const token = Buffer.from(`${login.user}:${login.password}`).toString('base64');
    const masked = run.log.split('\n').filter((line) => line.startsWith('::add-mask::'));
    expect(masked).toEqual(expect.arrayContaining([`::add-mask::${login.password}`, `::add-mask::${token}`]));
    const shown = run.log
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [shown, run.summary, JSON.stringify(run.outputs)]) {
      expect(text).not.toContain(login.password);
      expect(text).not.toContain(token);
    }

    const post = await runAction({
      node: NODES.node24,
      entry: 'post',
      env: { ...run.postEnv, REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE! },
    });
    expect(post.log).toContain(`Logged buildah out of ${registry.host}`);
  });

  it('builds nothing when the source is unchanged, and rebuilds after a one-byte change', async () => {
    const first = await deploy();
    const again = await deploy();
    expect(again.code).toBe(0);
    expect(again.outputs['image-uri']).toBe(first.outputs['image-uri']);
    expect(again.log).toMatch(/already in ECR[\s\S]*Nothing to build or push/);
    expect(again.log).not.toContain('Builder: buildah');

    await appendFile(join(app, 'hello.txt'), '!');
    const changed = await deploy();
    expect(changed.code).toBe(0);
    expect(changed.log).toContain('Builder: buildah');
    expect(changed.outputs['image-uri']).not.toBe(first.outputs['image-uri']);
  });
});
