import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { skipReason, startRegistry } from '../registry.js';
import {
  awsConfig,
  eventually,
  noticeLatencies,
  sampleTemplate,
  startFakeAws,
  type FakeAws,
  type FakeAwsState,
} from './index.js';
import { createSampleStack, sampleChangeSet } from './sample-stack.js';

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

describe('the deployed API', () => {
  it('answers the scripted statuses in turn, and 403 for an API that is not deployed', async () => {
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 5, smoke: { status: [503, 200] } });
    const apiUrl = await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));
    expect((await fetch(`${apiUrl}health`)).status).toBe(503);
    expect((await fetch(`${apiUrl}health`)).status).toBe(200);
    expect((await fetch(`${apiUrl}health`)).status).toBe(200);
    expect((await fetch(`${fake.url}/restapis/abcdefghij/prod/health`)).status).toBe(403);
    expect(fake.calls.filter((c) => c.service === 'api').map((c) => c.status)).toEqual([503, 200, 200, 403]);
  });

  it('refuses, as API Gateway does, a path no route serves and a method the route does not have', async () => {
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 5 });
    const apiUrl = await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));
    for (const [method, path] of [
      ['GET', 'quizzes'],
      ['GET', 'health/deep'],
      ['POST', 'health'],
    ]) {
      const response = await fetch(`${apiUrl}${path}`, { method });
      expect([method, path, response.status, await response.json()]).toEqual([
        method,
        path,
        403,
        { message: 'Missing Authentication Token' },
      ]);
    }
    expect((await fetch(`${apiUrl}health?probe=1`)).status).toBe(200);
  });
});

describe('timing figures', () => {
  it('records when a change set became ready and a stack terminal, and when a client first saw each', async () => {
    fake = await startFakeAws({ changeSetReadyMs: 50, resourceStepMs: 5 });
    await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));
    const { changeSets, stacks } = fake.state();
    expect(changeSets[0].noticedAt).toBeGreaterThanOrEqual(changeSets[0].readyAt);
    const [operation] = stacks[0].operations;
    expect(operation).toMatchObject({ kind: 'CREATE', finalStatus: 'CREATE_COMPLETE' });
    expect(operation.noticedAt).toBeGreaterThanOrEqual(operation.terminalAt!);
    const latencies = noticeLatencies(fake.state());
    expect(latencies.changeSetReady).toHaveLength(1);
    expect(latencies.stackTerminal).toHaveLength(1);
  });
});

describe('templates by URL', () => {
  it('reads a TemplateURL from the bucket it was uploaded to', async () => {
    fake = await startFakeAws({ changeSetReadyMs: 10 });
    const s3 = new S3Client({ ...awsConfig(fake.url), forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'app/template.json', Body: sampleTemplate() }));
    const cfn = new CloudFormationClient(awsConfig(fake.url));
    const { Id } = await cfn.send(
      new CreateChangeSetCommand(
        sampleChangeSet({ TemplateBody: undefined, TemplateURL: `${fake.url}/templates/app/template.json` }),
      ),
    );
    await eventually(
      async () => (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status === 'CREATE_COMPLETE',
    );
    await expect(
      cfn.send(
        new CreateChangeSetCommand(
          sampleChangeSet({
            StackName: 'b',
            TemplateBody: undefined,
            TemplateURL: 'https://templates.s3.amazonaws.com/missing.json',
          }),
        ),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(/^S3 error: Access Denied/) });
  });
});

describe('the standalone process', () => {
  it('prints its URL first, takes scenario changes over HTTP, and stops on SIGTERM', async () => {
    // One process (node with tsx's loader), so SIGTERM reaches the server itself, not a wrapper.
    const cli = new URL('./cli.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--scenario', 'existing', '--stack-name', 'app'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [url] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    try {
      const cfn = new CloudFormationClient(awsConfig(url));
      expect((await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus).toBe(
        'CREATE_COMPLETE',
      );
      const posted = await fetch(`${url}/__fake/scenario`, {
        method: 'POST',
        body: JSON.stringify({ throttle: { DescribeStacks: 1 }, stack: { status: 'ROLLBACK_COMPLETE' } }),
      });
      expect(((await posted.json()) as FakeAwsState).options.throttle).toEqual({ DescribeStacks: 1 });
      expect((await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus).toBe(
        'ROLLBACK_COMPLETE',
      );
      const state = (await (await fetch(`${url}/__fake/state`)).json()) as FakeAwsState;
      expect(state.calls.map((c) => [c.operation, c.error])).toEqual([
        ['DescribeStacks', undefined],
        ['DescribeStacks', 'Throttling'],
        ['DescribeStacks', undefined],
      ]);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});

const registrySkip = skipReason(['docker-registry', 'htpasswd']);
(registrySkip ? describe.skip : describe)('ECR in front of a real registry', () => {
  it('answers DescribeImages from what the registry holds, with the login it hands out', async () => {
    const login = { user: 'ci', password: 'right-password' };
    const registry = await startRegistry(login);
    try {
      const auth = { authorization: `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}` };
      const config = '{}';
      const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
      const upload = await fetch(`http://${registry.host}/v2/quiz/blobs/uploads/`, { method: 'POST', headers: auth });
      const location = new URL(upload.headers.get('location')!, `http://${registry.host}`);
      location.searchParams.set('digest', configDigest);
      expect((await fetch(location, { method: 'PUT', headers: auth, body: config })).status).toBe(201);
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: [],
      });
      const put = await fetch(`http://${registry.host}/v2/quiz/manifests/content-abc`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        body: manifest,
      });
      expect(put.status).toBe(201);

      fake = await startFakeAws({
        ecr: {
          username: login.user,
          password: login.password,
          proxyEndpoint: `http://${registry.host}`,
          mirrorRegistry: true,
        },
      });
      const ecr = new ECRClient(awsConfig(fake.url));
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'quiz' }));
      const found = await ecr.send(
        new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'content-abc' }] }),
      );
      expect(found.imageDetails![0].imageDigest).toBe(put.headers.get('docker-content-digest'));
      await expect(
        ecr.send(new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'content-def' }] })),
      ).rejects.toMatchObject({ name: 'ImageNotFoundException' });
      // A retag through ECR lands in the registry.
      const { images } = await ecr.send(
        new BatchGetImageCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'content-abc' }] }),
      );
      expect(images![0].imageManifest).toBe(manifest);
      await ecr.send(
        new PutImageCommand({
          repositoryName: 'quiz',
          imageManifest: manifest,
          imageManifestMediaType: images![0].imageManifestMediaType,
          imageTag: 'git-abc',
        }),
      );
      const retagged = await fetch(`http://${registry.host}/v2/quiz/manifests/git-abc`, {
        method: 'HEAD',
        headers: { ...auth, accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      expect(retagged.headers.get('docker-content-digest')).toBe(put.headers.get('docker-content-digest'));
      // With a login the registry refuses, a tag pushed to it stays unseen.
      const direct = await fetch(`http://${registry.host}/v2/quiz/manifests/direct`, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        body: manifest,
      });
      expect(direct.status).toBe(201);
      fake.scenario({ ecr: { password: 'wrong' } });
      await expect(
        ecr.send(new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'direct' }] })),
      ).rejects.toMatchObject({ name: 'ImageNotFoundException' });
      fake.scenario({ ecr: { password: login.password } });
      expect(
        (await ecr.send(new DescribeImagesCommand({ repositoryName: 'quiz', imageIds: [{ imageTag: 'direct' }] })))
          .imageDetails,
      ).toHaveLength(1);
    } finally {
      await registry.stop();
    }
  });
});
