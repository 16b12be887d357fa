// The ECR side of the image step: the repository (created with safe settings, an existing one
// left as it is unless asked), the image a tag points at, and the registry credentials.
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
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

/** The tag buildx keeps its registry layer cache under: the one tag that stays mutable. */
export const CACHE_TAG = 'buildcache';

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

// Every tag is immutable (a tag always names the same image) except the cache's.
const mutability: Required<Pick<EcrRepository, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>> = {
  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
  imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: CACHE_TAG }],
};

export function lifecyclePolicy(keepImages: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Keep the newest ${keepImages} images`,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
        action: { type: 'expire' },
      },
    ],
  });
}

export async function ensureRepository(
  ecr: ECRClient,
  options: RepositoryOptions,
  reporter: Reporter,
): Promise<Repository> {
  const existing = await describeRepository(ecr, options.name);
  if (existing) {
    if (options.updateExisting) await applySettings(ecr, options);
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
export async function tagImage(ecr: ECRClient, repositoryName: string, digest: string, tag: string): Promise<boolean> {
  const { images } = await ecr.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: manifestTypes,
    }),
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
    );
    return true;
  } catch (error) {
    if (error instanceof ImageAlreadyExistsException) return true; // this image already has the tag
    if (error instanceof ImageTagAlreadyExistsException) return false; // tags are immutable
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
