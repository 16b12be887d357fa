// The three builders the image step can drive, chosen by what the machine has: Docker buildx when
// a Docker engine answers (GitHub's hosted runners), else buildah, else podman (daemonless, so
// they work in containers and on self-hosted runners). Commands are planned by pure functions
// and run by one loop, so every builder fails the same way: with its own last lines.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Reporter } from '../reporter.js';
import { redact, runChecked, type Runner } from './process.js';

export const builderNames = ['buildx', 'buildah', 'podman'] as const;
export type BuilderName = (typeof builderNames)[number];
export type BuilderChoice = 'auto' | BuilderName;

/** The command that proves each builder is usable here. */
const probes: Record<BuilderName, [command: string, ...args: string[]][]> = {
  buildx: [
    ['docker', 'buildx', 'version'],
    ['docker', 'info', '--format', '{{.ServerVersion}}'],
  ],
  buildah: [['buildah', '--version']],
  podman: [['podman', '--version']],
};

async function usable(builder: BuilderName, runner: Runner): Promise<boolean> {
  for (const [command, ...args] of probes[builder]) {
    const result = await runner(command, args).catch(() => undefined); // not installed: spawn fails
    if (result?.exitCode !== 0) return false;
  }
  return true;
}

/** The builder to use: the forced one if it works here, else the first that works. */
export async function detectBuilder(choice: BuilderChoice, runner: Runner): Promise<BuilderName> {
  const candidates = choice === 'auto' ? builderNames : [choice];
  for (const builder of candidates) if (await usable(builder, runner)) return builder;
  throw new Error(
    choice === 'auto'
      ? 'No image builder found: install Docker with buildx (and start the engine), buildah or podman.'
      : `The ${choice} builder was asked for but does not work on this machine (${probes[choice].map((p) => p.join(' ')).join(', ')} failed).`,
  );
}

export interface BuildSpec {
  context: string;
  dockerfile: string;
  platform: string;
  buildArgs: Record<string, string>;
  target?: string;
  /** Full references (`<repo uri>:<tag>`), pushed in this order: the last one marks the image as complete. */
  references: string[];
  /** false only for a plain-HTTP loopback registry in tests (buildah and podman). */
  tlsVerify: boolean;
  /** buildx's registry cache (`<repo uri>:buildcache`), when the repository lets that tag be overwritten. */
  registryCache?: string;
  /** A private directory for the digest and metadata files. */
  workDir: string;
  /** The buildx builder instance to use (default: the current one). */
  buildxBuilder?: string;
}

export interface Step {
  what: string;
  command: string;
  args: string[];
}

/** What `docker buildx build --metadata-file` writes; only the digest is read. */
interface BuildxMetadata {
  'containerimage.digest'?: string;
}

export interface BuildPlan {
  steps: Step[];
  /** Reads the pushed manifest's digest once the steps have run. */
  digest: () => Promise<string>;
}

const commonBuildArgs = (spec: BuildSpec) => [
  '--platform', spec.platform,
  '--file', spec.dockerfile,
  ...(spec.target ? ['--target', spec.target] : []),
  ...Object.entries(spec.buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]),
  ...spec.references.flatMap((reference) => ['--tag', reference]),
]; // prettier-ignore

/** buildx builds and pushes in one go, so a failed build pushes nothing. */
function buildxPlan(spec: BuildSpec, env: NodeJS.ProcessEnv): BuildPlan {
  if (!spec.tlsVerify)
    throw new Error('tlsVerify=false (a plain-HTTP registry) is only supported with buildah and podman.');
  const metadata = path.join(spec.workDir, 'metadata.json');
  const builder = spec.buildxBuilder ? ['--builder', spec.buildxBuilder] : [];
  const args = [
    'buildx',
    'build',
    ...builder,
    ...commonBuildArgs(spec),
    '--push',
    '--provenance=false',
    '--metadata-file',
    metadata,
  ];
  args.push(...buildxCache(spec, env), spec.context);
  return {
    steps: [{ what: 'docker buildx build', command: 'docker', args }],
    digest: async () => {
      const digest = (JSON.parse(await readFile(metadata, 'utf8')) as BuildxMetadata)['containerimage.digest'];
      if (!digest) throw new Error(`docker buildx wrote no containerimage.digest to ${metadata}`);
      return digest;
    },
  };
}

/** The GitHub Actions cache when the runner exposes it (buildx reads the token from the env itself), else a registry cache. */
export function buildxCache(spec: Pick<BuildSpec, 'registryCache' | 'platform'>, env: NodeJS.ProcessEnv): string[] {
  if (env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)) {
    const scope = `scope=image-${spec.platform.replace('/', '-')}`;
    return ['--cache-from', `type=gha,${scope}`, '--cache-to', `type=gha,${scope},mode=max`];
  }
  if (!spec.registryCache) return [];
  const ref = `type=registry,ref=${spec.registryCache}`;
  return ['--cache-from', ref, '--cache-to', `${ref},mode=max,image-manifest=true,oci-mediatypes=true`];
}

const BUILDX_INSTANCE = 'private-fargate-api';

/**
 * A buildx builder that can export a layer cache. The `docker` driver (a fresh runner's default)
 * cannot, so then use our own docker-container builder, as docker/setup-buildx-action does.
 */
async function cacheCapableBuildx(runner: Runner, reporter: Reporter): Promise<string | undefined> {
  const lines: string[] = [];
  const current = await runner('docker', ['buildx', 'inspect'], { onLine: (line) => lines.push(line) });
  if (current.exitCode === 0 && !lines.some((line) => /^Driver:\s+docker$/.test(line.trim()))) return undefined;
  if ((await runner('docker', ['buildx', 'inspect', BUILDX_INSTANCE])).exitCode !== 0) {
    reporter.info(
      `The current buildx builder cannot export a layer cache: creating the docker-container builder ${BUILDX_INSTANCE}.`,
    );
    const args = ['buildx', 'create', '--name', BUILDX_INSTANCE, '--driver', 'docker-container', '--bootstrap'];
    await runChecked(runner, 'docker buildx create', 'docker', args, { onLine: (line) => reporter.info(line) });
  }
  return BUILDX_INSTANCE;
}

/** buildah and podman build locally first (a failed build pushes nothing), then push each tag. */
function daemonlessPlan(builder: 'buildah' | 'podman', spec: BuildSpec, env: NodeJS.ProcessEnv): BuildPlan {
  // vfs and chroot work everywhere (containers, no fuse, no user namespaces); the env can choose better.
  const global = ['--storage-driver', env.STORAGE_DRIVER || 'vfs'];
  const tls = `--tls-verify=${spec.tlsVerify}`;
  const isolation = env.BUILDAH_ISOLATION || 'chroot';
  const digestFile = (i: number) => path.join(spec.workDir, `digest-${i}`);
  const build = [...global, 'build', '--isolation', isolation, '--layers', tls, ...commonBuildArgs(spec), spec.context];
  const pushes = spec.references.map((reference, i) => ({
    what: `${builder} push ${reference}`,
    command: builder,
    args: [...global, 'push', tls, '--digestfile', digestFile(i), reference, `docker://${reference}`],
  }));
  return {
    steps: [{ what: `${builder} build`, command: builder, args: build }, ...pushes],
    // Pushes of one local image reuse the same compressed layers, so every tag names the same
    // manifest; the content tag's push (the last) is the one the next run's skip check sees.
    digest: async () => (await readFile(digestFile(spec.references.length - 1), 'utf8')).trim(),
  };
}

export function buildPlan(builder: BuilderName, spec: BuildSpec, env: NodeJS.ProcessEnv = process.env): BuildPlan {
  return builder === 'buildx' ? buildxPlan(spec, env) : daemonlessPlan(builder, spec, env);
}

/** Builds and pushes; returns the manifest digest. The builder's output streams through the reporter. */
export async function buildAndPush(
  builder: BuilderName,
  spec: BuildSpec,
  context: { runner: Runner; reporter: Reporter; secrets: readonly string[]; signal?: AbortSignal },
): Promise<string> {
  const cached = builder === 'buildx' && buildxCache(spec, process.env).length > 0;
  const buildxBuilder = cached ? await cacheCapableBuildx(context.runner, context.reporter) : undefined;
  const plan = buildPlan(builder, { ...spec, buildxBuilder });
  for (const step of plan.steps) {
    context.reporter.info(redact(`$ ${step.command} ${step.args.join(' ')}`, context.secrets));
    await runChecked(context.runner, step.what, step.command, step.args, {
      secrets: context.secrets,
      onLine: (line) => context.reporter.info(line),
      signal: context.signal,
    });
  }
  const digest = await plan.digest();
  if (!/^sha256:[0-9a-f]{64}$/.test(digest ?? ''))
    throw new Error(`${builder} reported no image digest after the push.`);
  return digest;
}
