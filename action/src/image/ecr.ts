// The ECR side of the image step: the repository (created with safe settings, an existing one
// left as it is unless asked), the image a tag points at, and the registry credentials.
import { createHash } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  LifecyclePolicyNotFoundException,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutImageCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  type ECRClient,
  type Repository as EcrRepository,
} from '@aws-sdk/client-ecr';
import type { Reporter } from '../reporter.js';

/** The tag buildx keeps its registry layer cache under: mutable, it moves with every build. */
export const CACHE_TAG = 'buildcache';

/**
 * Tags naming the image each stack runs (`deployed-<stack>`): moved there after every deploy,
 * removed when the stack is deleted. The lifecycle policy never expires an image carrying one.
 */
export const DEPLOYED_TAG_PATTERN = 'deployed-*';

export interface RepositoryOptions {
  name: string;
  /** The lifecycle policy expires all but the newest N images. */
  keepImages: number;
  /** KMS key (ARN, id or alias) to encrypt with; default AES256. Only applies when creating. */
  kmsKey?: string;
  /** Apply scan-on-push, tag immutability and the lifecycle policy to an existing repository too. */
  updateExisting?: boolean;
}

export interface Repository {
  name: string;
  /** `<registry>/<name>`: what images are tagged and pinned with. */
  uri: string;
  created: boolean;
  /** Whether the buildcache tag can be overwritten (a registry cache needs it). */
  cacheTagMutable: boolean;
}

// Every tag is immutable (a tag always names the same image) except the cache's and the
// deployed-<stack> tags, which move to the image each stack runs.
const mutability: Required<Pick<EcrRepository, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>> = {
  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
  imageTagMutabilityExclusionFilters: [
    { filterType: 'WILDCARD', filter: CACHE_TAG },
    { filterType: 'WILDCARD', filter: DEPLOYED_TAG_PATTERN },
  ],
};

/** More deployed-<stack> tags than one repository will ever hold: the first rule expires nothing. */
const NEVER = 10_000;

/**
 * Expires only images no stack runs. An image a rule selects by tag can never be expired by a
 * later rule (ECR's evaluation order), so rule 1 shields every image tagged deployed-<stack>;
 * untagged images (superseded build caches, abandoned pushes) go after a day; of the rest
 * (pull request and superseded builds) the newest N stay, for rollbacks by hand and for reuse.
 */
export function lifecyclePolicy(keepImages: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: 'Never expire an image a stack runs (tagged deployed-<stack>)',
        selection: {
          tagStatus: 'tagged',
          tagPatternList: [DEPLOYED_TAG_PATTERN],
          countType: 'imageCountMoreThan',
          countNumber: NEVER,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: 'Expire untagged images after a day',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
        action: { type: 'expire' },
      },
      {
        rulePriority: 3,
        description: `Keep the newest ${keepImages} of the images no stack runs`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
        action: { type: 'expire' },
      },
    ],
  });
}

/** `deployed-<stack name>`, shortened with a hash when it would pass ECR's 128-character tag limit. */
export function deployedTag(stackName: string): string {
  const tag = `deployed-${stackName}`;
  if (tag.length <= 128) return tag;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 12);
  return `${tag.slice(0, 128 - hash.length - 1)}-${hash}`;
}

export async function ensureRepository(
  ecr: ECRClient,
  options: RepositoryOptions,
  reporter: Reporter,
): Promise<Repository> {
  const existing = await describeRepository(ecr, options.name);
  if (existing) {
    if (options.updateExisting) await applySettings(ecr, options);
    else if (await upgradeEarlierSettings(ecr, existing, options)) {
      reporter.info(
        `Repository ${options.name} exists with the settings of an earlier version of this action: its lifecycle policy now never expires an image a stack runs (tagged ${DEPLOYED_TAG_PATTERN}).`,
      );
      return toRepository({ ...existing, ...mutability }, false);
    }
    reporter.info(
      options.updateExisting
        ? `Repository ${options.name} exists: scan on push, immutable tags and lifecycle policy (keep ${options.keepImages}) applied.`
        : `Repository ${options.name} exists: its settings are left as they are.`,
    );
    return toRepository(options.updateExisting ? { ...existing, ...mutability } : existing, false);
  }
  try {
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: options.name,
        imageScanningConfiguration: { scanOnPush: true },
        ...mutability,
        encryptionConfiguration: options.kmsKey
          ? { encryptionType: 'KMS', kmsKey: options.kmsKey }
          : { encryptionType: 'AES256' },
      }),
    );
    await ecr.send(
      new PutLifecyclePolicyCommand({
        repositoryName: options.name,
        lifecyclePolicyText: lifecyclePolicy(options.keepImages),
      }),
    );
    reporter.info(
      `Created repository ${options.name}: scan on push, immutable tags, ${options.kmsKey ? 'KMS' : 'AES256'} encryption, keeps the newest ${options.keepImages} images.`,
    );
    return toRepository(repository!, true);
  } catch (error) {
    // Another job created it between our describe and create: use theirs.
    if (!(error instanceof RepositoryAlreadyExistsException)) throw error;
    return ensureRepository(ecr, options, reporter);
  }
}

async function describeRepository(ecr: ECRClient, name: string): Promise<EcrRepository | undefined> {
  try {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return repositories?.[0];
  } catch (error) {
    if (error instanceof RepositoryNotFoundException) return undefined;
    throw error;
  }
}

async function applySettings(ecr: ECRClient, options: RepositoryOptions): Promise<void> {
  const repositoryName = options.name;
  await ecr.send(
    new PutImageScanningConfigurationCommand({ repositoryName, imageScanningConfiguration: { scanOnPush: true } }),
  );
  await ecr.send(new PutImageTagMutabilityCommand({ repositoryName, ...mutability }));
  await ecr.send(
    new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText: lifecyclePolicy(options.keepImages) }),
  );
}

/**
 * Earlier versions of this action created repositories whose lifecycle policy kept the newest N
 * images of any tag, so enough pull request builds expired the image production ran. A repository
 * still exactly as such a version left it (that one rule, only the cache tag mutable) gets today's
 * settings; any other repository is someone's own choice and stays as it is.
 */
async function upgradeEarlierSettings(
  ecr: ECRClient,
  repository: EcrRepository,
  options: RepositoryOptions,
): Promise<boolean> {
  const filters = repository.imageTagMutabilityExclusionFilters ?? [];
  const filter = filters.length === 1 ? filters[0] : undefined;
  if (repository.imageTagMutability !== 'IMMUTABLE_WITH_EXCLUSION' || filter?.filter !== CACHE_TAG) return false;
  let policy: unknown;
  try {
    const { lifecyclePolicyText } = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: options.name }));
    policy = JSON.parse(lifecyclePolicyText ?? '{}');
  } catch (error) {
    if (error instanceof LifecyclePolicyNotFoundException) return false;
    throw error;
  }
  const rules = (policy as { rules?: { description?: string; selection?: { tagStatus?: string } }[] }).rules ?? [];
  const rule = rules.length === 1 ? rules[0] : undefined;
  const earlier = /^Keep the newest \d+ images$/.test(rule?.description ?? '') && rule?.selection?.tagStatus === 'any';
  if (!earlier) return false;
  await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: options.name, ...mutability }));
  await ecr.send(
    new PutLifecyclePolicyCommand({
      repositoryName: options.name,
      lifecyclePolicyText: lifecyclePolicy(options.keepImages),
    }),
  );
  return true;
}

function toRepository(repository: EcrRepository, created: boolean): Repository {
  const mutable = repository.imageTagMutability ?? 'MUTABLE';
  const excluded = (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => f.filter === CACHE_TAG);
  return {
    name: repository.repositoryName!,
    uri: repository.repositoryUri!,
    created,
    cacheTagMutable: mutable === 'MUTABLE' || (mutable === 'IMMUTABLE_WITH_EXCLUSION' && excluded),
  };
}

/** The digest a tag points at, or undefined when the repository has no such tag. */
export async function findImageByTag(ecr: ECRClient, repositoryName: string, tag: string): Promise<string | undefined> {
  try {
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    return imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (error instanceof ImageNotFoundException) return undefined;
    throw error;
  }
}

const manifestTypes = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/**
 * Adds a tag to an image already in the repository by putting its manifest again under the tag
 * (ECR's way to retag: no layer moves). Returns false when the tag already names another image.
 */
export async function tagImage(
  ecr: ECRClient,
  repositoryName: string,
  digest: string,
  tag: string,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  const { images } = await ecr.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: manifestTypes,
    }),
    { abortSignal },
  );
  const manifest = images?.[0];
  if (!manifest?.imageManifest) throw new Error(`ECR returned no manifest for ${repositoryName}@${digest}.`);
  try {
    await ecr.send(
      new PutImageCommand({
        repositoryName,
        imageManifest: manifest.imageManifest,
        imageManifestMediaType: manifest.imageManifestMediaType,
        imageDigest: digest,
        imageTag: tag,
      }),
      { abortSignal },
    );
    return true;
  } catch (error) {
    if (error instanceof ImageAlreadyExistsException) return true; // this image already has the tag
    if (error instanceof ImageTagAlreadyExistsException) return false; // tags are immutable
    throw error;
  }
}

/**
 * Removes a tag from the repository (the image stays while it has other tags). True when the tag
 * was there; a missing tag or repository is nothing to remove.
 */
export async function removeTag(
  ecr: ECRClient,
  repositoryName: string,
  tag: string,
  abortSignal?: AbortSignal,
): Promise<boolean> {
  try {
    const { imageIds = [], failures = [] } = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
      { abortSignal },
    );
    const failure = failures.find(
      (f) => f.failureCode !== 'ImageNotFound' && f.failureCode !== 'ImageTagDoesNotMatchDigest',
    );
    if (failure)
      throw new Error(`ECR could not remove ${repositoryName}:${tag}: ${failure.failureReason ?? failure.failureCode}`);
    return imageIds.length > 0;
  } catch (error) {
    if (error instanceof RepositoryNotFoundException) return false;
    throw error;
  }
}

export interface RegistryCredentials {
  /** Registry host (`<account>.dkr.ecr.<region>.amazonaws.com`, or host:port). */
  registry: string;
  username: string;
  password: string;
  /** The endpoint is plain HTTP (a loopback registry, never ECR itself): builders must skip TLS. */
  plainHttp: boolean;
}

/** Exchanges the AWS credentials for a registry login (valid 12 hours). The password is registered as a secret before it leaves. */
export async function registryCredentials(ecr: ECRClient, reporter: Reporter): Promise<RegistryCredentials> {
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  const data = authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint)
    throw new Error('ECR GetAuthorizationToken returned no authorization data.');
  reporter.secret(data.authorizationToken);
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new Error('ECR GetAuthorizationToken returned a token that is not "user:password".');
  const password = decoded.slice(colon + 1);
  reporter.secret(password);
  const endpoint = new URL(data.proxyEndpoint);
  return {
    registry: endpoint.host,
    username: decoded.slice(0, colon),
    password,
    plainHttp: endpoint.protocol === 'http:',
  };
}
