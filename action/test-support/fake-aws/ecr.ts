// ECR's API for the image step: repositories with the settings they were created with, the
// login token (pointable at a real local registry), and images — registered through the control
// API, or read from that registry when `mirrorRegistry` is on, so "does this tag exist" is real.
import { createHash } from 'node:crypto';
import { AwsError } from './errors.js';
import type { Account } from './physical-ids.js';

export interface EcrSettings {
  username: string;
  password: string;
  /** Where `docker login` goes; repository URIs use its host. Default: the account's ECR host. */
  proxyEndpoint?: string;
  /** Answer DescribeImages from the registry at proxyEndpoint (its /v2 API, with these credentials). */
  mirrorRegistry?: boolean;
}

export interface EcrImage {
  imageDigest: string;
  imageTags: string[];
  imagePushedAt: number;
  imageSizeInBytes: number;
}

export interface Repository {
  repositoryName: string;
  repositoryArn: string;
  registryId: string;
  repositoryUri: string;
  createdAt: number;
  imageTagMutability: string;
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  tags: { Key: string; Value: string }[];
  lifecyclePolicyText?: string;
  images: EcrImage[];
}

type ImageId = { imageTag?: string; imageDigest?: string };

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export class Ecr {
  readonly repositories = new Map<string, Repository>();

  constructor(
    private readonly account: Account,
    private readonly settings: () => EcrSettings,
  ) {}

  private get proxyEndpoint(): string {
    return this.settings().proxyEndpoint ?? `https://${this.account.accountId}.dkr.ecr.${this.account.region}.amazonaws.com`;
  }

  private require(name: unknown): Repository {
    const repository = this.repositories.get(String(name));
    if (!repository) {
      throw new AwsError('RepositoryNotFoundException', `The repository with name '${String(name)}' does not exist in the registry with id '${this.account.accountId}'`);
    }
    return repository;
  }

  createRepository(input: Record<string, any>, now: number): Repository {
    const name = String(input.repositoryName);
    if (this.repositories.has(name)) {
      throw new AwsError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${this.account.accountId}'`);
    }
    const repository: Repository = {
      repositoryName: name, registryId: this.account.accountId,
      repositoryArn: `arn:aws:ecr:${this.account.region}:${this.account.accountId}:repository/${name}`,
      repositoryUri: `${new URL(this.proxyEndpoint).host}/${name}`, createdAt: now,
      imageTagMutability: input.imageTagMutability ?? 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: Boolean(input.imageScanningConfiguration?.scanOnPush) },
      encryptionConfiguration: input.encryptionConfiguration ?? { encryptionType: 'AES256' },
      tags: input.tags ?? [], images: [],
    };
    this.repositories.set(name, repository);
    return repository;
  }

  /** Registers an image as if it had been pushed (for the "content-hash tag exists" path). */
  addImage(repositoryName: string, image: { tags: string[]; digest?: string; sizeBytes?: number }, now: number): EcrImage {
    const repository = this.repositories.get(repositoryName) ?? this.createRepository({ repositoryName }, now);
    const digest = image.digest ?? `sha256:${createHash('sha256').update(`${repositoryName}:${image.tags.join(',')}:${now}`).digest('hex')}`;
    for (const other of repository.images) other.imageTags = other.imageTags.filter((tag) => !image.tags.includes(tag));
    const existing = repository.images.find((i) => i.imageDigest === digest);
    if (existing) existing.imageTags = [...new Set([...existing.imageTags, ...image.tags])];
    const added = existing ?? { imageDigest: digest, imageTags: image.tags, imagePushedAt: now, imageSizeInBytes: image.sizeBytes ?? 1_048_576 };
    if (!existing) repository.images.push(added);
    return added;
  }

  /** Looks a tag up in the real registry (HEAD /v2/<name>/manifests/<tag>) and records what it finds. */
  private async mirror(repository: Repository, tag: string, now: number): Promise<void> {
    const { username, password } = this.settings();
    const response = await fetch(`${this.proxyEndpoint}/v2/${repository.repositoryName}/manifests/${tag}`, {
      method: 'HEAD',
      headers: { Accept: MANIFEST_TYPES, Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
    const digest = response.headers.get('docker-content-digest');
    if (response.ok && digest) this.addImage(repository.repositoryName, { tags: [tag], digest, sizeBytes: Number(response.headers.get('content-length') ?? 0) }, now);
  }

  async handle(operation: string, input: Record<string, any>, now: number): Promise<Record<string, unknown>> {
    const seconds = (ms: number): number => ms / 1000;
    const view = (r: Repository) => ({ ...r, createdAt: seconds(r.createdAt), images: undefined, tags: undefined, lifecyclePolicyText: undefined });
    switch (operation) {
      case 'DescribeRepositories': {
        const names: string[] | undefined = input.repositoryNames;
        const repositories = names ? names.map((name) => this.require(name)) : [...this.repositories.values()];
        return { repositories: repositories.map(view) };
      }
      case 'CreateRepository':
        return { repository: view(this.createRepository(input, now)) };
      case 'PutLifecyclePolicy': {
        const repository = this.require(input.repositoryName);
        try {
          JSON.parse(String(input.lifecyclePolicyText));
        } catch {
          throw new AwsError('InvalidParameterException', 'Invalid parameter at \'LifecyclePolicyText\' failed to satisfy constraint: \'Lifecycle policy validation failure: could not parse policy\'');
        }
        repository.lifecyclePolicyText = input.lifecyclePolicyText;
        return { registryId: repository.registryId, repositoryName: repository.repositoryName, lifecyclePolicyText: input.lifecyclePolicyText };
      }
      case 'GetLifecyclePolicy': {
        const repository = this.require(input.repositoryName);
        if (!repository.lifecyclePolicyText) throw new AwsError('LifecyclePolicyNotFoundException', 'Lifecycle policy does not exist for the repository');
        return { registryId: repository.registryId, repositoryName: repository.repositoryName, lifecyclePolicyText: repository.lifecyclePolicyText };
      }
      case 'GetAuthorizationToken': {
        const { username, password } = this.settings();
        return {
          authorizationData: [{
            authorizationToken: Buffer.from(`${username}:${password}`).toString('base64'),
            expiresAt: seconds(now + 12 * 3_600_000), proxyEndpoint: this.proxyEndpoint,
          }],
        };
      }
      case 'DescribeImages':
      case 'BatchGetImage': {
        const repository = this.require(input.repositoryName);
        const ids: ImageId[] | undefined = input.imageIds;
        if (this.settings().mirrorRegistry) for (const id of ids ?? []) if (id.imageTag) await this.mirror(repository, id.imageTag, now);
        const lookups = (ids ?? repository.images.map((i): ImageId => ({ imageDigest: i.imageDigest }))).map((id) => ({
          id, image: repository.images.find((i) => i.imageDigest === id.imageDigest || (id.imageTag !== undefined && i.imageTags.includes(id.imageTag))),
        }));
        if (operation === 'BatchGetImage') {
          return {
            images: lookups.filter((l) => l.image).map(({ id, image }) => ({ registryId: repository.registryId, repositoryName: repository.repositoryName, imageId: { imageDigest: image!.imageDigest, imageTag: id.imageTag } })),
            failures: lookups.filter((l) => !l.image).map(({ id }) => ({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' })),
          };
        }
        const missing = lookups.find((l) => !l.image);
        if (missing) {
          throw new AwsError('ImageNotFoundException', `The image with imageId {imageDigest:'${missing.id.imageDigest ?? 'null'}', imageTag:'${missing.id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.repositoryName}' in the registry with id '${repository.registryId}'`);
        }
        return {
          imageDetails: lookups.map(({ image }) => ({
            registryId: repository.registryId, repositoryName: repository.repositoryName, imageDigest: image!.imageDigest,
            imageTags: image!.imageTags, imageSizeInBytes: image!.imageSizeInBytes, imagePushedAt: seconds(image!.imagePushedAt),
            imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          })),
        };
      }
      default:
        throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }
}
