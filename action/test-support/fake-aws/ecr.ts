// ECR's API for the image step: repositories with the settings they were given, the login token
// (pointable at a real local registry), and images — registered through the control API, or, with
// `mirrorRegistry`, read from and written to that registry, so "does this tag exist" is real.
import { createHash } from 'node:crypto';
import { AwsError } from './errors.js';
import { expiredDigests, parseLifecyclePolicy } from './ecr-lifecycle.js';
import type { Account } from './physical-ids.js';
import { MANIFEST_TYPES, putManifest, readManifest, type Login } from '../registry.js';

export interface EcrSettings {
  username: string;
  password: string;
  /** Where `docker login` goes; repository URIs use its host. Default: the account's ECR host. */
  proxyEndpoint?: string;
  /** Answer image calls from the registry at proxyEndpoint (its /v2 API, with these credentials). */
  mirrorRegistry?: boolean;
}

export interface EcrImage {
  imageDigest: string;
  imageTags: string[];
  imagePushedAt: number;
  imageSizeInBytes: number;
  manifest: string;
  mediaType: string;
}

export interface Repository {
  repositoryName: string;
  repositoryArn: string;
  registryId: string;
  repositoryUri: string;
  createdAt: number;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  tags: { Key: string; Value: string }[];
  lifecyclePolicyText?: string;
  images: EcrImage[];
}

type ImageId = { imageTag?: string; imageDigest?: string };
// Wire JSON as the SDK sends it; each operation reads the fields it knows.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fake trusts the real SDK's request shapes
type Input = Record<string, any>;

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const seconds = (ms: number): number => ms / 1000;
const wildcard = (filter: string): RegExp =>
  new RegExp(`^${filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Whether a tag may be moved to another image in this repository. */
function tagIsMutable(repository: Repository, tag: string): boolean {
  if (repository.imageTagMutability === 'MUTABLE') return true;
  if (repository.imageTagMutability === 'IMMUTABLE_WITH_EXCLUSION')
    return (repository.imageTagMutabilityExclusionFilters ?? []).some((f) => wildcard(f.filter).test(tag));
  if (repository.imageTagMutability === 'MUTABLE_WITH_EXCLUSION')
    return !(repository.imageTagMutabilityExclusionFilters ?? []).some((f) => wildcard(f.filter).test(tag));
  return false;
}

export class Ecr {
  readonly repositories = new Map<string, Repository>();

  constructor(
    private readonly account: Account,
    private readonly settings: () => EcrSettings,
  ) {}

  private get proxyEndpoint(): string {
    return (
      this.settings().proxyEndpoint ?? `https://${this.account.accountId}.dkr.ecr.${this.account.region}.amazonaws.com`
    );
  }

  private get mirror(): (Login & { host: string }) | undefined {
    const { mirrorRegistry, username, password } = this.settings();
    return mirrorRegistry ? { host: new URL(this.proxyEndpoint).host, user: username, password } : undefined;
  }

  private require(name: unknown): Repository {
    const repository = this.repositories.get(String(name));
    if (!repository) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${String(name)}' does not exist in the registry with id '${this.account.accountId}'`,
      );
    }
    return repository;
  }

  createRepository(input: Input, now: number): Repository {
    const name = String(input.repositoryName);
    if (this.repositories.has(name)) {
      throw new AwsError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${name}' already exists in the registry with id '${this.account.accountId}'`,
      );
    }
    const repository: Repository = {
      repositoryName: name,
      registryId: this.account.accountId,
      repositoryArn: `arn:aws:ecr:${this.account.region}:${this.account.accountId}:repository/${name}`,
      repositoryUri: `${new URL(this.proxyEndpoint).host}/${name}`,
      createdAt: now,
      imageTagMutability: input.imageTagMutability ?? 'MUTABLE',
      imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters,
      imageScanningConfiguration: { scanOnPush: Boolean(input.imageScanningConfiguration?.scanOnPush) },
      encryptionConfiguration: input.encryptionConfiguration ?? { encryptionType: 'AES256' },
      tags: input.tags ?? [],
      images: [],
    };
    this.repositories.set(name, repository);
    return repository;
  }

  /** Records an image as pushed (control API, mirror, PutImage): the tags move to it. */
  addImage(
    repositoryName: string,
    image: { tags: string[]; digest?: string; manifest?: string; mediaType?: string },
    now: number,
  ): EcrImage {
    const repository = this.repositories.get(repositoryName) ?? this.createRepository({ repositoryName }, now);
    const manifest =
      image.manifest ?? JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_TYPES[1], tags: image.tags, at: now });
    const digest = image.digest ?? sha256(manifest);
    for (const other of repository.images) other.imageTags = other.imageTags.filter((tag) => !image.tags.includes(tag));
    const existing = repository.images.find((i) => i.imageDigest === digest);
    if (existing) {
      existing.imageTags = [...new Set([...existing.imageTags, ...image.tags])];
      return existing;
    }
    const added = {
      imageDigest: digest,
      imageTags: image.tags,
      imagePushedAt: now,
      imageSizeInBytes: manifest.length,
      manifest,
      mediaType: image.mediaType ?? MANIFEST_TYPES[1],
    };
    repository.images.push(added);
    return added;
  }

  /** The image an id names, asking the mirrored registry first when there is one. */
  private async find(repository: Repository, id: ImageId, now: number): Promise<EcrImage | undefined> {
    const reference = id.imageDigest ?? id.imageTag;
    if (this.mirror && reference) {
      // A login the registry refuses finds nothing, as with ECR's own images.
      const found = await readManifest(this.mirror.host, repository.repositoryName, reference, this.mirror).catch(
        () => undefined,
      );
      if (found)
        this.addImage(
          repository.repositoryName,
          {
            tags: id.imageTag ? [id.imageTag] : [],
            digest: found.digest,
            manifest: found.raw,
            mediaType: found.mediaType,
          },
          now,
        );
    }
    return repository.images.find(
      (i) => i.imageDigest === id.imageDigest || (id.imageTag !== undefined && i.imageTags.includes(id.imageTag)),
    );
  }

  private async putImage(input: Input, now: number): Promise<Record<string, unknown>> {
    const repository = this.require(input.repositoryName);
    const manifest = String(input.imageManifest);
    const digest = input.imageDigest ?? sha256(manifest);
    const tag: string | undefined = input.imageTag;
    const holder = tag ? repository.images.find((i) => i.imageTags.includes(tag)) : undefined;
    if (holder?.imageDigest === digest) {
      throw new AwsError(
        'ImageAlreadyExistsException',
        `Image with digest '${digest}' and tag '${tag}' already exists in the repository with name '${repository.repositoryName}' in registry with id '${repository.registryId}'`,
      );
    }
    if (holder && !tagIsMutable(repository, tag!)) {
      throw new AwsError(
        'ImageTagAlreadyExistsException',
        `The image tag '${tag}' already exists in the '${repository.repositoryName}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }
    const mediaType = input.imageManifestMediaType ?? MANIFEST_TYPES[1];
    if (this.mirror && tag)
      await putManifest(this.mirror.host, repository.repositoryName, tag, { mediaType, raw: manifest }, this.mirror);
    this.addImage(repository.repositoryName, { tags: tag ? [tag] : [], digest, manifest, mediaType }, now);
    return {
      image: {
        registryId: repository.registryId,
        repositoryName: repository.repositoryName,
        imageId: { imageDigest: digest, imageTag: tag },
        imageManifest: manifest,
        imageManifestMediaType: mediaType,
      },
    };
  }

  async handle(operation: string, input: Input, now: number): Promise<Record<string, unknown>> {
    const view = (r: Repository) => ({
      ...r,
      createdAt: seconds(r.createdAt),
      images: undefined,
      tags: undefined,
      lifecyclePolicyText: undefined,
    });
    const echo = (r: Repository, fields: Input) => ({
      registryId: r.registryId,
      repositoryName: r.repositoryName,
      ...fields,
    });
    switch (operation) {
      case 'DescribeRepositories': {
        const names: string[] | undefined = input.repositoryNames;
        return {
          repositories: (names ? names.map((name) => this.require(name)) : [...this.repositories.values()]).map(view),
        };
      }
      case 'CreateRepository':
        return { repository: view(this.createRepository(input, now)) };
      case 'PutImageScanningConfiguration': {
        const repository = this.require(input.repositoryName);
        repository.imageScanningConfiguration = { scanOnPush: Boolean(input.imageScanningConfiguration?.scanOnPush) };
        return echo(repository, { imageScanningConfiguration: repository.imageScanningConfiguration });
      }
      case 'PutImageTagMutability': {
        const repository = this.require(input.repositoryName);
        Object.assign(repository, {
          imageTagMutability: input.imageTagMutability,
          imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters,
        });
        return echo(repository, {
          imageTagMutability: repository.imageTagMutability,
          imageTagMutabilityExclusionFilters: repository.imageTagMutabilityExclusionFilters,
        });
      }
      case 'PutLifecyclePolicy': {
        const repository = this.require(input.repositoryName);
        try {
          JSON.parse(String(input.lifecyclePolicyText));
        } catch {
          throw new AwsError(
            'InvalidParameterException',
            "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: could not parse policy'",
          );
        }
        parseLifecyclePolicy(String(input.lifecyclePolicyText));
        repository.lifecyclePolicyText = input.lifecyclePolicyText;
        return echo(repository, { lifecyclePolicyText: input.lifecyclePolicyText });
      }
      case 'GetLifecyclePolicy': {
        const repository = this.require(input.repositoryName);
        if (!repository.lifecyclePolicyText)
          throw new AwsError('LifecyclePolicyNotFoundException', 'Lifecycle policy does not exist for the repository');
        return echo(repository, { lifecyclePolicyText: repository.lifecyclePolicyText });
      }
      case 'GetAuthorizationToken': {
        const { username, password } = this.settings();
        const token = Buffer.from(`${username}:${password}`).toString('base64');
        return {
          authorizationData: [
            { authorizationToken: token, expiresAt: seconds(now + 12 * 3_600_000), proxyEndpoint: this.proxyEndpoint },
          ],
        };
      }
      case 'PutImage':
        return this.putImage(input, now);
      case 'BatchDeleteImage':
        return this.batchDeleteImage(input);
      case 'DescribeImages':
      case 'BatchGetImage':
        return this.describeImages(operation, input, now);
      default:
        throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  /** A tag id removes the tag (and the image with its last tag); a digest id removes the image. */
  private batchDeleteImage(input: Input): Record<string, unknown> {
    const repository = this.require(input.repositoryName);
    const deleted: ImageId[] = [];
    const failures: { imageId: ImageId; failureCode: string; failureReason: string }[] = [];
    for (const id of (input.imageIds ?? []) as ImageId[]) {
      const image = repository.images.find((i) =>
        id.imageTag !== undefined ? i.imageTags.includes(id.imageTag) : i.imageDigest === id.imageDigest,
      );
      if (
        !image ||
        (id.imageTag !== undefined && id.imageDigest !== undefined && image.imageDigest !== id.imageDigest)
      ) {
        failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        continue;
      }
      image.imageTags = id.imageTag !== undefined ? image.imageTags.filter((tag) => tag !== id.imageTag) : [];
      if (image.imageTags.length === 0) repository.images = repository.images.filter((i) => i !== image);
      deleted.push({ imageDigest: image.imageDigest, ...(id.imageTag !== undefined ? { imageTag: id.imageTag } : {}) });
    }
    return { imageIds: deleted, failures };
  }

  /**
   * Runs the repository's lifecycle policy as ECR would in the background (where it takes up to a
   * day): removes and returns the images it expires at `now`.
   */
  expireImages(repositoryName: string, now: number): string[] {
    const repository = this.require(repositoryName);
    if (!repository.lifecyclePolicyText) return [];
    const expired = expiredDigests(repository.lifecyclePolicyText, repository.images, now);
    repository.images = repository.images.filter((image) => !expired.has(image.imageDigest));
    return [...expired];
  }

  private async describeImages(
    operation: 'DescribeImages' | 'BatchGetImage',
    input: Input,
    now: number,
  ): Promise<Record<string, unknown>> {
    const repository = this.require(input.repositoryName);
    const ids: ImageId[] = input.imageIds ?? repository.images.map((i) => ({ imageDigest: i.imageDigest }));
    const lookups = await Promise.all(ids.map(async (id) => ({ id, image: await this.find(repository, id, now) })));
    const base = { registryId: repository.registryId, repositoryName: repository.repositoryName };
    if (operation === 'BatchGetImage') {
      return {
        images: lookups
          .filter((l) => l.image)
          .map(({ id, image }) => ({
            ...base,
            imageId: { imageDigest: image!.imageDigest, imageTag: id.imageTag },
            imageManifest: image!.manifest,
            imageManifestMediaType: image!.mediaType,
          })),
        failures: lookups
          .filter((l) => !l.image)
          .map(({ id }) => ({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' })),
      };
    }
    const missing = lookups.find((l) => !l.image);
    if (missing) {
      throw new AwsError(
        'ImageNotFoundException',
        `The image with imageId {imageDigest:'${missing.id.imageDigest ?? 'null'}', imageTag:'${missing.id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`,
      );
    }
    return {
      imageDetails: lookups.map(({ image }) => ({
        ...base,
        imageDigest: image!.imageDigest,
        imageTags: image!.imageTags,
        imageSizeInBytes: image!.imageSizeInBytes,
        imagePushedAt: seconds(image!.imagePushedAt),
        imageManifestMediaType: image!.mediaType,
      })),
    };
  }
}
