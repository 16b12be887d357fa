import { describe, expect, test, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { MemoryReporter } from '../reporter.js';
import { buildAndPush, buildPlan, buildxCache, detectBuilder, type BuildSpec } from './builders.js';
import { loginArgs } from './login.js';
import type { Runner } from './process.js';
import { removeScratchDirs, scratchDir } from '../../test-support/scratch.js';

afterAll(removeScratchDirs);

const spec: BuildSpec = {
  context: '/src/app',
  dockerfile: '/src/app/Dockerfile',
  platform: 'linux/arm64',
  buildArgs: { VERSION: '1.2.3' },
  target: 'runtime',
  references: ['1234.dkr.ecr.eu-west-1.amazonaws.com/api:abc123', '1234.dkr.ecr.eu-west-1.amazonaws.com/api:src-00ff'],
  tlsVerify: true,
  registryCache: '1234.dkr.ecr.eu-west-1.amazonaws.com/api:buildcache',
  workDir: '/tmp/w',
};

/** A machine where only the listed commands (`docker info`, `buildah --version`, …) succeed. */
const machine =
  (...working: string[]): Runner =>
  async (command, args) => {
    const line = [command, ...args].join(' ');
    if (!working.some((prefix) => line.startsWith(prefix)))
      throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });
    return { exitCode: 0, tail: [] };
  };

describe('detectBuilder', () => {
  test('prefers buildx when a Docker engine answers, else buildah, else podman', async () => {
    expect(await detectBuilder('auto', machine('docker buildx', 'docker info', 'buildah', 'podman'))).toBe('buildx');
    expect(await detectBuilder('auto', machine('docker buildx', 'buildah', 'podman'))).toBe('buildah'); // CLI but no engine
    expect(await detectBuilder('auto', machine('podman'))).toBe('podman');
  });

  test('says what to install when there is no builder, and when a forced one does not work', async () => {
    await expect(detectBuilder('auto', machine())).rejects.toThrow(/install Docker with buildx .* buildah or podman/);
    await expect(detectBuilder('podman', machine('buildah'))).rejects.toThrow(/podman builder was asked for/);
    expect(await detectBuilder('buildah', machine('docker buildx', 'docker info', 'buildah'))).toBe('buildah');
  });
});

describe('buildPlan', () => {
  test('buildx builds and pushes in one command, single-platform, without provenance, every tag at once', () => {
    const [step, ...rest] = buildPlan('buildx', spec, {}).steps;
    expect(rest).toEqual([]);
    expect(step.command).toBe('docker');
    expect(step.args).toEqual(
      expect.arrayContaining(['--push', '--provenance=false', '--platform', 'linux/arm64', '--target', 'runtime']),
    );
    expect(step.args).toEqual(
      expect.arrayContaining([
        '--build-arg',
        'VERSION=1.2.3',
        '--tag',
        spec.references[0],
        '--tag',
        spec.references[1],
      ]),
    );
    expect(step.args.at(-1)).toBe('/src/app');
  });

  test('buildx caches layers in the GitHub Actions cache on a runner, else in the ECR repository', () => {
    expect(buildxCache(spec, { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results' })).toEqual([
      '--cache-from', 'type=gha,scope=image-linux-arm64',
      '--cache-to', 'type=gha,scope=image-linux-arm64,mode=max',
    ]); // prettier-ignore
    expect(buildxCache(spec, {}).join(' ')).toBe(
      `--cache-from type=registry,ref=${spec.registryCache} --cache-to type=registry,ref=${spec.registryCache},mode=max,image-manifest=true,oci-mediatypes=true`,
    );
    expect(buildxCache({ ...spec, registryCache: undefined }, {})).toEqual([]);
  });

  test('buildah builds first, then pushes each tag, the content tag last', () => {
    const steps = buildPlan('buildah', spec, {}).steps;
    expect(steps.map((s) => s.what)).toEqual([
      'buildah build',
      `buildah push ${spec.references[0]}`,
      `buildah push ${spec.references[1]}`,
    ]);
    expect(steps[0].args.slice(0, 5)).toEqual(['--storage-driver', 'vfs', 'build', '--isolation', 'chroot']);
    expect(steps[2].args).toEqual(expect.arrayContaining(['--digestfile', `docker://${spec.references[1]}`]));
  });

  test('the environment can pick buildah’s storage driver and isolation', () => {
    const [build] = buildPlan('podman', spec, { STORAGE_DRIVER: 'overlay', BUILDAH_ISOLATION: 'oci' }).steps;
    expect(build.command).toBe('podman');
    expect(build.args.slice(0, 5)).toEqual(['--storage-driver', 'overlay', 'build', '--isolation', 'oci']);
  });

  test('buildx can be sent to a named builder instance (one that can export a cache)', () => {
    const [step] = buildPlan('buildx', { ...spec, buildxBuilder: 'cache-capable' }, {}).steps;
    expect(step.args.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'cache-capable']);
  });

  test('a plain-HTTP registry is refused with buildx', () => {
    expect(() => buildPlan('buildx', { ...spec, tlsVerify: false }, {})).toThrow(
      /only supported with buildah and podman/,
    );
  });
});

describe('buildAndPush with buildx', () => {
  /** A Docker engine whose current buildx builder uses `driver`; records what runs, and "pushes" by writing buildx's metadata file. */
  const dockerWith =
    (driver: string, ran: string[]): Runner =>
    async (command, args, options) => {
      ran.push([command, ...args].join(' '));
      if (args[1] === 'inspect') {
        if (args[2]) return { exitCode: 1, tail: ['ERROR: no builder "private-fargate-api" found'] };
        [`Name: default`, `Driver: ${driver}`].forEach((line) => options?.onLine?.(line));
      }
      if (args[1] === 'build') {
        const metadata = args[args.indexOf('--metadata-file') + 1];
        await writeFile(metadata, JSON.stringify({ 'containerimage.digest': `sha256:${'ab'.repeat(32)}` }));
      }
      return { exitCode: 0, tail: [] };
    };

  test('on the docker driver, which cannot export a cache, creates a docker-container builder and builds with it', async () => {
    const ran: string[] = [];
    const workDir = await scratchDir('buildx-');
    const digest = await buildAndPush(
      'buildx',
      { ...spec, workDir },
      { runner: dockerWith('docker', ran), reporter: new MemoryReporter(), secrets: [] },
    );

    expect(digest).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(ran[2]).toBe('docker buildx create --name private-fargate-api --driver docker-container --bootstrap');
    expect(ran[3]).toMatch(/^docker buildx build --builder private-fargate-api .*--cache-to type=registry/);
  });

  test('keeps a builder that can already export a cache', async () => {
    const ran: string[] = [];
    const workDir = await scratchDir('buildx-');
    await buildAndPush(
      'buildx',
      { ...spec, workDir },
      { runner: dockerWith('docker-container', ran), reporter: new MemoryReporter(), secrets: [] },
    );

    expect(ran).toHaveLength(2);
    expect(ran[1]).not.toContain('--builder');
  });
});

describe('loginArgs', () => {
  test('the password is read from stdin, never passed as an argument', () => {
    for (const builder of ['buildx', 'buildah', 'podman'] as const) {
      const args = loginArgs(builder, { registry: 'r.example', username: 'AWS' });
      expect(args).toContain('--password-stdin');
      expect(args).not.toContain('--password');
      expect(args.at(-1)).toBe('r.example');
    }
  });
});
