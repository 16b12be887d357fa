import { afterEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { awsConfig, startFakeAws, type FakeAws, type StartOptions } from './index.js';

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

async function setUp(options: StartOptions = {}): Promise<ECRClient> {
  fake = await startFakeAws(options);
  return new ECRClient(awsConfig(fake.url));
}

describe('ECR', () => {
  it('reports a missing repository, then creates one with the settings asked for', async () => {
    const ecr = await setUp();
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['quiz'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: "The repository with name 'quiz' does not exist in the registry with id '123456789012'",
    });
    const { repository } = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'quiz',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS' },
      }),
    );
    expect(repository).toMatchObject({
      repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/quiz',
      imageTagMutability: 'IMMUTABLE',
    });
    expect(repository!.createdAt).toBeInstanceOf(Date);
    const policy = JSON.stringify({
      rules: [
        {
          rulePriority: 1,
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
          action: { type: 'expire' },
        },
      ],
    });
    await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'quiz', lifecyclePolicyText: policy }));
    expect(fake!.state().repositories).toEqual([
      expect.objectContaining({
        repositoryName: 'quiz',
        scanOnPush: true,
        imageTagMutability: 'IMMUTABLE',
        encryptionType: 'KMS',
        lifecyclePolicyText: policy,
      }),
    ]);
    await expect(ecr.send(new CreateRepositoryCommand({ repositoryName: 'quiz' }))).rejects.toMatchObject({
      name: 'RepositoryAlreadyExistsException',
    });
  });

  it('hands out a login for the registry it is told about', async () => {
    const ecr = await setUp({ ecr: { username: 'ci', password: 's3cret', proxyEndpoint: 'http://127.0.0.1:5000' } });
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(Buffer.from(authorizationData![0].authorizationToken!, 'base64').toString()).toBe('ci:s3cret');
    expect(authorizationData![0].proxyEndpoint).toBe('http://127.0.0.1:5000');
    const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName: 'quiz' }));
    expect(repository!.repositoryUri).toBe('127.0.0.1:5000/quiz');
  });

  it('finds images registered through the control API by tag, and says which tags are missing', async () => {
    const ecr = await setUp();
    const { imageDigest } = fake!.addImage('quiz', { tags: ['content-abc'] });
    const found = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'content-abc' }] }),
    );
    expect(found.imageDetails).toEqual([expect.objectContaining({ imageDigest, imageTags: ['content-abc'] })]);
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'content-def' }] })),
    ).rejects.toMatchObject({
      name: 'ImageNotFoundException',
    });
    const batch = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'quiz',
        imageIds: [{ imageTag: 'content-abc' }, { imageTag: 'nope' }],
      }),
    );
    expect(batch.images!.map((i) => i.imageId!.imageDigest)).toEqual([imageDigest]);
    expect(batch.failures).toEqual([
      { imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
  });

  it('retags an image by putting its manifest again, as the image step does, within the tag mutability rules', async () => {
    const ecr = await setUp();
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: 'quiz',
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'buildcache' }],
      }),
    );
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      layers: [],
    });
    const { imageDigest } = fake!.addImage('quiz', { tags: ['content-abc'], manifest });
    expect(imageDigest).toBe(`sha256:${createHash('sha256').update(manifest).digest('hex')}`);

    const { images } = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'quiz', imageIds: [{ imageDigest }] }),
    );
    const put = {
      repositoryName: 'quiz',
      imageManifest: images![0].imageManifest,
      imageManifestMediaType: images![0].imageManifestMediaType,
      imageDigest,
    };
    await ecr.send(new PutImageCommand({ ...put, imageTag: 'git-1234567' }));
    const found = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'git-1234567' }] }),
    );
    expect(found.imageDetails![0]).toMatchObject({ imageDigest, imageTags: ['content-abc', 'git-1234567'] });

    await expect(ecr.send(new PutImageCommand({ ...put, imageTag: 'git-1234567' }))).rejects.toMatchObject({
      name: 'ImageAlreadyExistsException',
    });
    const other = fake!.addImage('quiz', { tags: ['other'] });
    await expect(
      ecr.send(new PutImageCommand({ ...put, imageDigest: other.imageDigest, imageTag: 'content-abc' })),
    ).rejects.toMatchObject({ name: 'ImageTagAlreadyExistsException' });
    fake!.addImage('quiz', { tags: ['buildcache'] });
    await ecr.send(new PutImageCommand({ ...put, imageTag: 'buildcache' }));
  });

  it('changes an existing repository’s settings only when told to', async () => {
    const ecr = await setUp();
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'quiz' }));
    await ecr.send(
      new PutImageScanningConfigurationCommand({
        repositoryName: 'quiz',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    await ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'quiz', imageTagMutability: 'IMMUTABLE' }));
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['quiz'] }));
    expect(repositories![0]).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  it('registers images over HTTP too, for a server in another process', async () => {
    const ecr = await setUp();
    const response = await fetch(`${fake!.url}/__fake/images`, {
      method: 'POST',
      body: JSON.stringify({ repositoryName: 'quiz', tags: ['v1'], digest: `sha256:${'a'.repeat(64)}` }),
    });
    expect(response.status).toBe(200);
    const found = await ecr.send(new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'v1' }] }));
    expect(found.imageDetails![0].imageDigest).toBe(`sha256:${'a'.repeat(64)}`);
  });

  it('counts calls per operation', async () => {
    const ecr = await setUp({ throttle: { DescribeRepositories: 1 } });
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['x'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
    expect(fake!.callCounts('ecr')).toEqual({ DescribeRepositories: 2 });
    expect(fake!.calls[0]).toMatchObject({ service: 'ecr', error: 'ThrottlingException', status: 400 });
  });
});
