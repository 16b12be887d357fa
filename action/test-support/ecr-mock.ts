// The ECR API in front of a real test registry, with aws-sdk-client-mock: the repository lives
// at <registry host>/<name>, GetAuthorizationToken hands out the registry's basic-auth login,
// and DescribeImages, BatchGetImage and PutImage (a retag) work on what the registry really holds.
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
  RepositoryNotFoundException,
  type ECRClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-ecr';
import type { AwsStub } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { putManifest, readManifest } from './registry.js';

export interface RegistryLogin {
  host: string;
  user: string;
  password: string;
}

/** An ECR client whose calls the mock answers; credentials are dummies. */
export const testEcrClient = () =>
  new ECRClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });

/**
 * Points the mock at the registry. The repository does not exist until CreateRepository;
 * `tokenPassword` is what GetAuthorizationToken hands out (the real one unless a test wants it wrong).
 */
export function mockEcrOnRegistry(
  ecrMock: AwsStub<ServiceInputTypes, ServiceOutputTypes, ECRClientResolvedConfig>,
  login: RegistryLogin,
  tokenPassword: () => string = () => login.password,
): void {
  const repositories = new Set<string>();
  const repository = (name: string) => ({
    repositoryName: name,
    repositoryUri: `${login.host}/${name}`,
    imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const,
  });
  ecrMock.on(DescribeRepositoriesCommand).callsFake(async ({ repositoryNames: [name] }) => {
    if (!repositories.has(name))
      throw new RepositoryNotFoundException({
        message: `The repository with name '${name}' does not exist`,
        $metadata: {},
      });
    return { repositories: [repository(name)] };
  });
  ecrMock.on(CreateRepositoryCommand).callsFake(async ({ repositoryName }) => {
    repositories.add(repositoryName);
    return { repository: repository(repositoryName) };
  });
  ecrMock.on(GetAuthorizationTokenCommand).callsFake(async () => ({
    authorizationData: [
      {
        authorizationToken: Buffer.from(`${login.user}:${tokenPassword()}`).toString('base64'),
        proxyEndpoint: `http://${login.host}`,
      },
    ],
  }));
  ecrMock.on(DescribeImagesCommand).callsFake(async ({ repositoryName, imageIds: [{ imageTag }] }) => {
    const found = await readManifest(login.host, repositoryName, imageTag, login);
    if (!found)
      throw new ImageNotFoundException({
        message: `The image with imageId {imageTag:'${imageTag}'} does not exist`,
        $metadata: {},
      });
    return { imageDetails: [{ repositoryName, imageDigest: found.digest, imageTags: [imageTag] }] };
  });
  ecrMock.on(BatchGetImageCommand).callsFake(async ({ repositoryName, imageIds: [{ imageDigest }] }) => {
    const found = await readManifest(login.host, repositoryName, imageDigest, login);
    return found
      ? {
          images: [
            {
              repositoryName,
              imageId: { imageDigest },
              imageManifest: found.raw,
              imageManifestMediaType: found.mediaType,
            },
          ],
          failures: [],
        }
      : { images: [], failures: [{ imageId: { imageDigest }, failureCode: 'ImageNotFound' }] };
  });
  ecrMock.on(PutImageCommand).callsFake(async ({ repositoryName, imageManifest, imageManifestMediaType, imageTag }) => {
    const current = await readManifest(login.host, repositoryName, imageTag, login);
    const digest = `sha256:${createHash('sha256').update(imageManifest).digest('hex')}`;
    if (current?.digest === digest)
      throw new ImageAlreadyExistsException({ message: `Image with tag '${imageTag}' already exists`, $metadata: {} });
    if (current)
      throw new ImageTagAlreadyExistsException({
        message: `The image tag '${imageTag}' already exists and cannot be overwritten because the repository is immutable.`,
        $metadata: {},
      });
    await putManifest(
      login.host,
      repositoryName,
      imageTag,
      { raw: imageManifest, mediaType: imageManifestMediaType },
      login,
    );
    return { image: { repositoryName, imageId: { imageDigest: digest, imageTag } } };
  });
}
