// The sample app's stack on the loopback AWS, created the way a client does it (change set,
// execute, wait), and a stand-in app behind its API: for tests and benches that need a deployed
// API rather than the deploy itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type CloudFormationClient,
  type CreateChangeSetCommandInput,
} from '@aws-sdk/client-cloudformation';
import { eventually } from './index.js';
import { sampleTemplate } from './sample-template.js';

/** CreateChangeSet for the sample stack `app`, as a first deploy sends it. */
export function sampleChangeSet(overrides: Partial<CreateChangeSetCommandInput> = {}): CreateChangeSetCommandInput {
  return {
    StackName: 'app',
    ChangeSetName: 'cs',
    ChangeSetType: 'CREATE',
    TemplateBody: sampleTemplate(),
    Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'repo@sha256:1' }],
    Capabilities: ['CAPABILITY_IAM'],
    ...overrides,
  };
}

/** Creates the sample stack's change set, waits until it is computed, and executes it. */
export async function startSampleStack(cfn: CloudFormationClient): Promise<void> {
  const { Id } = await cfn.send(new CreateChangeSetCommand(sampleChangeSet()));
  await eventually(
    async () => (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).Status === 'CREATE_COMPLETE',
  );
  await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
}

/** The sample stack, created to CREATE_COMPLETE; its ApiUrl output. */
export async function createSampleStack(cfn: CloudFormationClient): Promise<string> {
  await startSampleStack(cfn);
  const stack = await eventually(async () => {
    const [described] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks ?? [];
    return described?.StackStatus === 'CREATE_COMPLETE' && described;
  });
  return stack.Outputs!.find((o) => o.OutputKey === 'ApiUrl')!.OutputValue!;
}

/** An app that serves GET /health only, as an app that knows nothing of stages would; the paths it was asked for. */
export async function startHealthOnlyApp(): Promise<{ url: string; paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    const known = request.url?.split('?')[0] === '/health';
    response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' }).end(known ? '{"ok":true}' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
