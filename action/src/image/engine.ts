// The image step, from the action and from the CLI: make sure the repository exists, name the
// build inputs by their content hash, and build and push only when ECR has no image by that
// name. The result pins the image by digest, so the task definition changes exactly when the
// image does.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Reporter } from '../reporter.js';
import { buildAndPush, detectBuilder, type BuilderChoice, type BuilderName } from './builders.js';
import { contentHash, contentTag } from './content-hash.js';
import { CACHE_TAG, ensureRepository, findImageByTag, registryCredentials, tagImage, type Repository } from './ecr.js';
import { login } from './login.js';
import { run, type Runner } from './process.js';

export interface ImageRequest {
  /** Build context directory (relative paths resolve against the working directory). */
  context: string;
  /** Default `<context>/Dockerfile`. */
  dockerfile?: string;
  /** ECR repository name; created when missing. */
  repository: string;
  platform: 'linux/amd64' | 'linux/arm64';
  buildArgs: Record<string, string>;
  target?: string;
  /** The repository's lifecycle policy keeps the newest N images. */
  keepImages: number;
  /** Tagged on a new image besides the content hash. */
  gitSha?: string;
  builder?: BuilderChoice;
  /** Default: verify TLS unless ECR's endpoint is plain HTTP (a loopback registry). */
  tlsVerify?: boolean;
  /** KMS key for a new repository's encryption (default AES256). */
  kmsKey?: string;
  /** Apply the repository settings to an existing repository too (default: leave it alone). */
  updateRepository?: boolean;
}

export interface ImageResult {
  /** `<registry>/<repository>@sha256:…`: what the stack's ImageUri parameter receives. */
  imageUri: string;
  digest: string;
  /** The tags the image carries from this run (the content tag at least). */
  tags: string[];
  /** false when an image with the same content hash was already in ECR and was reused. */
  built: boolean;
  /** Registry host, for the post step's logout. */
  registry: string;
  /** The builder that ran (and is logged in, for the post step's logout); absent when nothing was built. */
  builder?: BuilderName;
}

export interface EngineOptions {
  /** Runs the builders' commands; tests wrap it to watch what starts. */
  runner?: Runner;
  /** Called right after a successful registry login, so a later failure still gets logged out (the action's post step). */
  onLogin?: (login: { builder: BuilderName; registry: string }) => void;
  /** The run was cancelled: stop the builder and fail. */
  signal?: AbortSignal;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export async function buildAndPushImage(
  ecr: ECRClient,
  request: ImageRequest,
  reporter: Reporter,
  { runner = run, onLogin, signal }: EngineOptions = {},
): Promise<ImageResult> {
  const inputs = await validate(request);
  const repository = await ensureRepository(
    ecr,
    {
      name: request.repository,
      keepImages: request.keepImages,
      kmsKey: request.kmsKey,
      updateExisting: request.updateRepository,
    },
    reporter,
  );
  const registry = repository.uri.replace(/\/.*/s, ''); // the host, before the repository's name
  const hashTag = contentTag(await contentHash(inputs));

  const existing = await findImageByTag(ecr, repository.name, hashTag);
  if (existing) {
    const commitTag = await reuseTag(ecr, repository, existing, request.gitSha, reporter);
    const tagged = commitTag.length ? ` (now also tagged ${commitTag[0]})` : '';
    reporter.info(
      `${repository.uri}:${hashTag} is already in ECR: reusing ${existing}${tagged}. Nothing to build or push.`,
    );
    const tags = [...commitTag, hashTag];
    return { imageUri: `${repository.uri}@${existing}`, digest: existing, tags, built: false, registry };
  }

  return reporter.group(`Build and push ${repository.uri}:${hashTag}`, async () => {
    const builder = await detectBuilder(request.builder ?? 'auto', runner);
    reporter.info(`Builder: ${builder}`);
    const credentials = await registryCredentials(ecr, reporter);
    const tlsVerify = request.tlsVerify ?? !credentials.plainHttp;
    await login(builder, credentials, runner, tlsVerify, signal);
    onLogin?.({ builder, registry: credentials.registry });
    // The content tag goes last: its presence is what tells the next run the image is complete.
    const tags = [...(await freeGitTag(ecr, repository, request.gitSha, reporter)), hashTag];
    const workDir = await mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'image-'));
    try {
      const digest = await buildAndPush(
        builder,
        {
          ...inputs,
          tlsVerify,
          references: tags.map((tag) => `${repository.uri}:${tag}`),
          registryCache: repository.cacheTagMutable ? `${repository.uri}:${CACHE_TAG}` : undefined,
          workDir,
        },
        { runner, reporter, secrets: [credentials.password], signal },
      );
      reporter.info(`Pushed ${repository.uri}@${digest} (${tags.join(', ')})`);
      return { imageUri: `${repository.uri}@${digest}`, digest, tags, built: true, registry, builder };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
}

/** Checks the request before any AWS call, and resolves its paths. */
async function validate(request: ImageRequest) {
  const context = path.resolve(request.context);
  const dockerfile = path.resolve(request.dockerfile ?? path.join(context, 'Dockerfile'));
  if (!(await stat(context).catch(() => undefined))?.isDirectory()) {
    throw new Error(`The build context ${request.context} is not a directory (looked for ${context}).`);
  }
  if (!(await stat(dockerfile).catch(() => undefined))?.isFile()) {
    throw new Error(
      `The Dockerfile ${request.dockerfile ?? path.join(request.context, 'Dockerfile')} does not exist (looked for ${dockerfile}).`,
    );
  }
  if (!request.repository) throw new Error('No ECR repository name was given.');
  if (!Number.isInteger(request.keepImages) || request.keepImages < 1)
    throw new Error(`keepImages must be a whole number of at least 1, not ${request.keepImages}.`);
  if (request.gitSha !== undefined && !TAG.test(request.gitSha))
    throw new Error(`The git SHA "${request.gitSha}" is not a valid image tag.`);
  if (request.target !== undefined && !request.target) throw new Error('The build target is empty.');
  return {
    context,
    dockerfile,
    platform: request.platform,
    buildArgs: request.buildArgs,
    target: request.target,
  };
}

/** Tags the reused image with this commit too (no layer moves), so every deployed commit can be found by its SHA. */
async function reuseTag(
  ecr: ECRClient,
  repository: Repository,
  digest: string,
  gitSha: string | undefined,
  reporter: Reporter,
): Promise<string[]> {
  if (!gitSha) return [];
  if (await tagImage(ecr, repository.name, digest, gitSha)) return [gitSha];
  reporter.warning(`${repository.uri}:${gitSha} already names another image (tags are immutable); left as it is.`);
  return [];
}

/** The git SHA tag, unless it already names another image (the same commit built for another platform or with other args). */
async function freeGitTag(
  ecr: ECRClient,
  repository: Repository,
  gitSha: string | undefined,
  reporter: Reporter,
): Promise<string[]> {
  if (!gitSha) return [];
  const taken = await findImageByTag(ecr, repository.name, gitSha);
  if (!taken) return [gitSha];
  reporter.warning(
    `${repository.uri}:${gitSha} already names ${taken} (tags are immutable); the new image gets only its content tag.`,
  );
  return [];
}
