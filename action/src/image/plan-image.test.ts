import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { testEcrClient } from '../../test-support/ecr-mock.js';
import { MemoryReporter } from '../reporter.js';
import { contentHash, contentTag } from './content-hash.js';
import { imageForPlan } from './plan-image.js';

const ecrMock = mockClient(ECRClient);
const ecr = testEcrClient();
const uri = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/quiz-api';
const digest = `sha256:${'b'.repeat(64)}`;
let dir: string;
let inputs: Parameters<typeof contentHash>[0];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plan-image-'));
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  inputs = { context: dir, dockerfile: path.join(dir, 'Dockerfile'), buildArgs: {}, platform: 'linux/amd64' };
});
afterAll(() => rm(dir, { recursive: true, force: true }));
beforeEach(() => {
  ecrMock.reset();
});

describe('imageForPlan', () => {
  test('uses the image a deploy already pushed for this source, pinned by digest, and pushes nothing', async () => {
    const tag = contentTag(await contentHash(inputs));
    ecrMock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri }] });
    ecrMock
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: tag }] })
      .resolves({ imageDetails: [{ imageDigest: digest }] });
    const result = await imageForPlan(ecr, 'quiz-api', inputs, new MemoryReporter());
    expect(result).toEqual({ imageUri: `${uri}@${digest}`, found: true });
    expect(ecrMock.calls().map((c) => c.args[0].constructor.name)).toEqual([
      'DescribeRepositoriesCommand',
      'DescribeImagesCommand',
    ]);
  });

  test('names the tag the deploy will build when no deploy pushed this source yet, and says so', async () => {
    const tag = contentTag(await contentHash(inputs));
    ecrMock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryName: 'quiz-api', repositoryUri: uri }] });
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
    const reporter = new MemoryReporter();
    expect(await imageForPlan(ecr, 'quiz-api', inputs, reporter)).toEqual({ imageUri: `${uri}:${tag}`, found: false });
    expect(reporter.lines.join('\n')).toContain('the deploy builds that image and pins it by digest');
  });

  test('works before the first deploy created the repository', async () => {
    const tag = contentTag(await contentHash(inputs));
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'none', $metadata: {} }));
    expect(await imageForPlan(ecr, 'quiz-api', inputs, new MemoryReporter())).toEqual({
      imageUri: `quiz-api:${tag}`,
      found: false,
    });
  });
});
