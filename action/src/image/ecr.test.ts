import { beforeEach, describe, expect, test } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageAlreadyExistsException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { testEcrClient } from '../../test-support/ecr-mock.js';
import { MemoryReporter } from '../reporter.js';
import { ensureRepository, findImageByTag, registryCredentials, tagImage } from './ecr.js';

const ecrMock = mockClient(ECRClient);
const ecr = testEcrClient();
const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/quiz-api';
const notFound = new RepositoryNotFoundException({
  message: 'The repository with name quiz-api does not exist',
  $metadata: {},
});

beforeEach(() => {
  ecrMock.reset();
});

describe('ensureRepository', () => {
  test('creates a missing repository: scan on push, immutable tags but the cache and deployed ones, AES256, a lifecycle policy that keeps deployed images', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound);
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'quiz-api', repositoryUri: uri } });
    const reporter = new MemoryReporter();

    const repository = await ensureRepository(ecr, { name: 'quiz-api', keepImages: 15 }, reporter);

    expect(repository).toMatchObject({ name: 'quiz-api', uri, created: true });
    const create = ecrMock.commandCalls(CreateRepositoryCommand)[0].args[0].input;
    expect(create.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(create.imageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    expect(create.imageTagMutabilityExclusionFilters).toEqual([
      { filterType: 'WILDCARD', filter: 'buildcache' },
      { filterType: 'WILDCARD', filter: 'deployed-*' },
    ]);
    expect(create.encryptionConfiguration).toEqual({ encryptionType: 'AES256' });
    const policy = JSON.parse(
      ecrMock.commandCalls(PutLifecyclePolicyCommand)[0].args[0].input.lifecyclePolicyText!,
    ) as {
      rules: unknown[];
    };
    expect(policy.rules).toEqual([
      expect.objectContaining({
        rulePriority: 1,
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['deployed-*'],
          countType: 'imageCountMoreThan',
          countNumber: 10000,
        },
      }),
      expect.objectContaining({
        rulePriority: 2,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 },
      }),
      expect.objectContaining({
        rulePriority: 3,
        selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 15 },
        action: { type: 'expire' },
      }),
    ]);
    expect(reporter.text).toContain('Created repository quiz-api');
  });

  test('encrypts with the given KMS key', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound);
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'quiz-api', repositoryUri: uri } });
    await ensureRepository(ecr, { name: 'quiz-api', keepImages: 30, kmsKey: 'alias/images' }, new MemoryReporter());
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0].args[0].input.encryptionConfiguration).toEqual({
      encryptionType: 'KMS',
      kmsKey: 'alias/images',
    });
  });

  test('leaves an existing repository exactly as it is', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri, imageTagMutability: 'MUTABLE' }],
    });
    const reporter = new MemoryReporter();

    const repository = await ensureRepository(ecr, { name: 'quiz-api', keepImages: 30 }, reporter);

    expect(repository).toMatchObject({ uri, created: false, cacheTagMutable: true });
    expect(ecrMock.calls()).toHaveLength(1); // the describe, nothing else
    expect(reporter.text).toContain('settings are left as they are');
  });

  test('applies the settings to an existing repository when asked', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri, imageTagMutability: 'IMMUTABLE' }],
    });
    const repository = await ensureRepository(
      ecr,
      { name: 'quiz-api', keepImages: 5, updateExisting: true },
      new MemoryReporter(),
    );

    expect(repository.cacheTagMutable).toBe(true);
    expect(
      ecrMock.commandCalls(PutImageScanningConfigurationCommand)[0].args[0].input.imageScanningConfiguration,
    ).toEqual({ scanOnPush: true });
    expect(ecrMock.commandCalls(PutImageTagMutabilityCommand)[0].args[0].input.imageTagMutability).toBe(
      'IMMUTABLE_WITH_EXCLUSION',
    );
    expect(ecrMock.commandCalls(PutLifecyclePolicyCommand)[0].args[0].input.lifecyclePolicyText).toContain(
      '"countNumber":5',
    );
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  test('an existing fully immutable repository has no room for a registry cache', async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri, imageTagMutability: 'IMMUTABLE' }],
    });
    expect(
      (await ensureRepository(ecr, { name: 'quiz-api', keepImages: 5 }, new MemoryReporter())).cacheTagMutable,
    ).toBe(false);
  });

  test('uses the repository another job created in the meantime', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(notFound)
      .resolves({ repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri }] });
    ecrMock
      .on(CreateRepositoryCommand)
      .rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }));

    expect(await ensureRepository(ecr, { name: 'quiz-api', keepImages: 30 }, new MemoryReporter())).toMatchObject({
      uri,
      created: false,
    });
  });
});

describe('findImageByTag', () => {
  test('returns the digest the tag points at, or undefined when there is no such tag', async () => {
    ecrMock
      .on(DescribeImagesCommand, { repositoryName: 'quiz-api', imageIds: [{ imageTag: 'src-1' }] })
      .resolves({ imageDetails: [{ imageDigest: 'sha256:abc' }] })
      .on(DescribeImagesCommand, { repositoryName: 'quiz-api', imageIds: [{ imageTag: 'src-2' }] })
      .rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));

    expect(await findImageByTag(ecr, 'quiz-api', 'src-1')).toBe('sha256:abc');
    expect(await findImageByTag(ecr, 'quiz-api', 'src-2')).toBeUndefined();
  });
});

describe('tagImage', () => {
  const manifest = '{"schemaVersion":2}';
  beforeEach(() => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [{ imageManifest: manifest, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' }],
    });
  });

  test('puts the image’s own manifest under the new tag', async () => {
    expect(await tagImage(ecr, 'quiz-api', 'sha256:abc', 'c0ffee')).toBe(true);
    expect(ecrMock.commandCalls(PutImageCommand)[0].args[0].input).toEqual({
      repositoryName: 'quiz-api',
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageDigest: 'sha256:abc',
      imageTag: 'c0ffee',
    });
  });

  test('a tag already on this image is fine; a tag on another image is left alone', async () => {
    ecrMock.on(PutImageCommand).rejects(new ImageAlreadyExistsException({ message: 'exists', $metadata: {} }));
    expect(await tagImage(ecr, 'quiz-api', 'sha256:abc', 'c0ffee')).toBe(true);
    ecrMock.on(PutImageCommand).rejects(new ImageTagAlreadyExistsException({ message: 'immutable', $metadata: {} }));
    expect(await tagImage(ecr, 'quiz-api', 'sha256:abc', 'c0ffee')).toBe(false);
  });
});

describe('registryCredentials', () => {
  test('decodes the token and registers the password as a secret before returning it', async () => {
    const token = Buffer.from('AWS:s3cr3t-password').toString('base64');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: token, proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com' },
      ],
    });
    const reporter = new MemoryReporter();

    const credentials = await registryCredentials(ecr, reporter);

    expect(credentials).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 's3cr3t-password',
      plainHttp: false,
    });
    expect(reporter.secrets).toEqual(expect.arrayContaining([token, 's3cr3t-password']));
    expect(reporter.text).not.toContain('s3cr3t-password');
  });
});
