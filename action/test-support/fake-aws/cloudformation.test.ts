import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CloudFormationClient,
  ContinueUpdateRollbackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListChangeSetsCommand,
  UpdateTerminationProtectionCommand,
  type CreateChangeSetCommandInput,
  type DescribeChangeSetCommandOutput,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { advanceUntil, manualClock, type ManualClock } from '../manual-clock.js';
import { awsConfig, sampleTemplate, startFakeAws, type FakeAws, type StartOptions } from './index.js';

const IMAGE_V1 = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:' + '1'.repeat(64);
const IMAGE_V2 = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:' + '2'.repeat(64);
const FAST: StartOptions = { changeSetReadyMs: 60, resourceStepMs: 10 };

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

// Scripted time moves only when the test advances it: no race with a loaded machine's real time.
let clock: ManualClock;
const eventually = <T>(probe: () => Promise<T | undefined | false>) => advanceUntil(clock, probe);

async function setUp(options: StartOptions = {}): Promise<CloudFormationClient> {
  clock = manualClock();
  fake = await startFakeAws({ ...FAST, stackName: 'app', ...options, now: clock.now });
  return new CloudFormationClient(awsConfig(fake.url));
}

function changeSetInput(overrides: Partial<CreateChangeSetCommandInput> = {}): CreateChangeSetCommandInput {
  return {
    StackName: 'app',
    ChangeSetName: `cs-${Date.now()}`,
    ChangeSetType: 'UPDATE',
    TemplateBody: sampleTemplate(),
    Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V1 }],
    Capabilities: ['CAPABILITY_IAM'],
    ...overrides,
  };
}

async function readyChangeSet(cfn: CloudFormationClient, id: string): Promise<DescribeChangeSetCommandOutput> {
  return eventually(async () => {
    const changeSet = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
    return /COMPLETE|FAILED/.test(changeSet.Status!) && changeSet;
  });
}

async function settledStatus(cfn: CloudFormationClient, stackName = 'app'): Promise<string> {
  return eventually(async () => {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks!;
    return !stack.StackStatus!.endsWith('_IN_PROGRESS') && stack.StackStatus!;
  });
}

async function allEvents(cfn: CloudFormationClient, stackName = 'app'): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken }));
    events.push(...page.StackEvents!);
    NextToken = page.NextToken;
  } while (NextToken);
  return events;
}

async function deploy(
  cfn: CloudFormationClient,
  overrides: Partial<CreateChangeSetCommandInput> = {},
): Promise<DescribeChangeSetCommandOutput> {
  const { Id } = await cfn.send(new CreateChangeSetCommand(changeSetInput(overrides)));
  const changeSet = await readyChangeSet(cfn, Id!);
  if (changeSet.Status === 'CREATE_COMPLETE') await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
  return changeSet;
}

describe('first create', () => {
  it('creates the stack in REVIEW_IN_PROGRESS, evaluates the change set, and creates every resource', async () => {
    const cfn = await setUp();
    const { Id, StackId } = await cfn.send(
      new CreateChangeSetCommand(
        changeSetInput({
          ChangeSetType: 'CREATE',
          RoleARN: 'arn:aws:iam::123456789012:role/cfn-exec',
          Tags: [{ Key: 'team', Value: 'quiz' }],
        }),
      ),
    );
    const [review] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(review).toMatchObject({ StackId, StackStatus: 'REVIEW_IN_PROGRESS' });
    expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe('UNAVAILABLE');

    const changeSet = await readyChangeSet(cfn, Id!);
    expect(changeSet).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    expect(changeSet.Changes!.map((c) => c.ResourceChange!.Action)).toEqual(Array(15).fill('Add'));

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id, ClientRequestToken: 'cs-1-execute' }));
    expect(await settledStatus(cfn)).toBe('CREATE_COMPLETE');
    const events = await allEvents(cfn);
    expect(events[0]).toMatchObject({ ResourceStatus: 'CREATE_COMPLETE', ClientRequestToken: 'cs-1-execute' });
    expect(events.at(-1)!.ResourceStatus).toBe('REVIEW_IN_PROGRESS');
    expect(events.at(-1)!.ClientRequestToken).toBeUndefined();
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack).toMatchObject({
      RoleARN: 'arn:aws:iam::123456789012:role/cfn-exec',
      Tags: [{ Key: 'team', Value: 'quiz' }],
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: expect.arrayContaining([{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V1 }]),
    });
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.ApiUrl).toMatch(new RegExp(`^${fake!.url}/restapis/[a-z0-9]{10}/prod/$`));
    expect(outputs.ClusterName).toMatch(/^app-Cluster-/);
    expect((await fetch(`${outputs.ApiUrl}health`)).status).toBe(200);
    expect((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe(
      'EXECUTE_COMPLETE',
    );
    const execute = fake!.calls.find((c) => c.operation === 'ExecuteChangeSet')!;
    expect(execute.input).toEqual({ ChangeSetName: Id, ClientRequestToken: 'cs-1-execute' });
    expect(fake!.calls[0].input).toMatchObject({
      TemplateBody: expect.stringMatching(/^<\d+ bytes>$/),
      RoleARN: 'arn:aws:iam::123456789012:role/cfn-exec',
    });
  });

  it('writes per-resource events, newest first, ending with the stack CREATE_COMPLETE', async () => {
    const cfn = await setUp({ eventsPageSize: 5 });
    await deploy(cfn, { ChangeSetType: 'CREATE' });
    await settledStatus(cfn);
    const events = await allEvents(cfn);
    expect(events[0]).toMatchObject({
      LogicalResourceId: 'app',
      ResourceStatus: 'CREATE_COMPLETE',
      ResourceType: 'AWS::CloudFormation::Stack',
    });
    expect(events.at(-1)).toMatchObject({ LogicalResourceId: 'app', ResourceStatus: 'REVIEW_IN_PROGRESS' });
    const vpc = events.filter((e) => e.LogicalResourceId === 'Vpc').reverse();
    expect(vpc.map((e) => [e.ResourceStatus, e.ResourceStatusReason])).toEqual([
      ['CREATE_IN_PROGRESS', undefined],
      ['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
      ['CREATE_COMPLETE', undefined],
    ]);
    expect(vpc[2].PhysicalResourceId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    // Dependencies come first: the listener before the service that needs it.
    const order = events
      .filter((e) => e.ResourceStatus === 'CREATE_COMPLETE')
      .reverse()
      .map((e) => e.LogicalResourceId);
    expect(order.indexOf('Listener')).toBeLessThan(order.indexOf('Service'));
  });

  it('asks for the capabilities IAM resources need', async () => {
    const cfn = await setUp();
    await expect(
      cfn.send(new CreateChangeSetCommand(changeSetInput({ ChangeSetType: 'CREATE', Capabilities: [] }))),
    ).rejects.toMatchObject({
      name: 'InsufficientCapabilitiesException',
      message: 'Requires capabilities : [CAPABILITY_IAM]',
    });
  });
});

describe('a retried CreateChangeSet', () => {
  it('gets the change set back with the same ClientToken, and is refused without it', async () => {
    const cfn = await setUp();
    const input = changeSetInput({ ChangeSetType: 'CREATE', ClientToken: 'cs-1' });
    const first = await cfn.send(new CreateChangeSetCommand(input));
    expect(await cfn.send(new CreateChangeSetCommand(input))).toMatchObject({ Id: first.Id, StackId: first.StackId });
    await expect(cfn.send(new CreateChangeSetCommand({ ...input, ClientToken: 'cs-2' }))).rejects.toMatchObject({
      name: 'AlreadyExistsException',
    });
  });
});

describe('updates', () => {
  it('reports a new image as a replacement of the task definition, propagated to the service', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: { status: 'CREATE_COMPLETE', parameters: { ImageUri: IMAGE_V1 } },
    });
    const changeSet = await deploy(cfn, { Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V2 }] });
    const byId = Object.fromEntries(
      changeSet.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange!]),
    );
    expect(byId.TaskDefinition).toMatchObject({
      Action: 'Modify',
      Replacement: 'True',
      Scope: ['Properties'],
      Details: [
        {
          Target: { Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always' },
          Evaluation: 'Static',
          ChangeSource: 'ParameterReference',
          CausingEntity: 'ImageUri',
        },
      ],
    });
    expect(byId.TaskDefinition.PhysicalResourceId).toMatch(/task-definition\/app:1$/);
    expect(byId.Service).toMatchObject({
      Action: 'Modify',
      Replacement: 'False',
      Details: [{ Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'TaskDefinition' }],
    });
    expect(await settledStatus(cfn)).toBe('UPDATE_COMPLETE');
    const statuses = (await allEvents(cfn)).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
    expect(statuses.slice(0, 4)).toEqual([
      'app UPDATE_COMPLETE',
      'TaskDefinition DELETE_COMPLETE',
      'TaskDefinition DELETE_IN_PROGRESS',
      'app UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    ]);
  });

  it('adds, modifies in place and removes resources by diffing templates', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: {
        status: 'CREATE_COMPLETE',
        templateBody: sampleTemplate({ extraResources: { Old: { Type: 'AWS::SNS::Topic', Properties: {} } } }),
      },
    });
    const template = JSON.parse(
      sampleTemplate({ extraResources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } }),
    );
    template.Resources.LogGroup.Properties.RetentionInDays = 7;
    const changeSet = await deploy(cfn, {
      TemplateBody: JSON.stringify(template),
      Parameters: [{ ParameterKey: 'ImageUri', UsePreviousValue: true }],
    });
    expect(
      changeSet.Changes!.map((c) => [
        c.ResourceChange!.Action,
        c.ResourceChange!.LogicalResourceId,
        c.ResourceChange!.Replacement,
      ]),
    ).toEqual([
      ['Modify', 'LogGroup', 'False'],
      ['Add', 'Queue', undefined],
      ['Remove', 'Old', undefined],
    ]);
    expect(await settledStatus(cfn)).toBe('UPDATE_COMPLETE');
  });

  it('fails a change set without changes with the reason AWS gives, and refuses to execute it', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: { status: 'CREATE_COMPLETE', parameters: { ImageUri: IMAGE_V1 } },
    });
    const { Id } = await cfn.send(new CreateChangeSetCommand(changeSetInput()));
    const changeSet = await readyChangeSet(cfn, Id!);
    expect(changeSet).toMatchObject({
      Status: 'FAILED',
      ExecutionStatus: 'UNAVAILABLE',
      StatusReason:
        "The submitted information didn't contain changes. Submit different information to create a change set.",
    });
    await expect(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }))).rejects.toMatchObject({
      name: 'InvalidChangeSetStatusException',
    });
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
    expect((await cfn.send(new ListChangeSetsCommand({ StackName: 'app' }))).Summaries).toEqual([]);
    await expect(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).rejects.toMatchObject({
      name: 'ChangeSetNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('pages a long list of changes', async () => {
    const cfn = await setUp({ changeSetPageSize: 4 });
    const { Id } = await cfn.send(new CreateChangeSetCommand(changeSetInput({ ChangeSetType: 'CREATE' })));
    const first = await readyChangeSet(cfn, Id!);
    expect(first.Changes).toHaveLength(4);
    const second = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id, NextToken: first.NextToken }));
    expect(second.Changes![0].ResourceChange!.LogicalResourceId).not.toBe(
      first.Changes![3].ResourceChange!.LogicalResourceId,
    );
  });

  it('rolls a failing update back and restores the previous parameters', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: { status: 'CREATE_COMPLETE', parameters: { ImageUri: IMAGE_V1 } },
    });
    fake!.scenario({ failAt: { resource: 'Service', reason: 'Resource handler returned message: "boom"' } });
    await deploy(cfn, { Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V2 }] });
    expect(await settledStatus(cfn)).toBe('UPDATE_ROLLBACK_COMPLETE');
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack.Parameters).toContainEqual({ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V1 });
    const failed = (await allEvents(cfn)).find((e) => e.ResourceStatus === 'UPDATE_FAILED');
    expect(failed).toMatchObject({
      LogicalResourceId: 'Service',
      ResourceStatusReason: 'Resource handler returned message: "boom"',
    });
  });
});

describe('failures and stack states', () => {
  it('fails at resource N with its reason, cancels the one beside it, and rolls the create back', async () => {
    const cfn = await setUp({ preset: 'failure' });
    await deploy(cfn, { ChangeSetType: 'CREATE' });
    expect(await settledStatus(cfn)).toBe('ROLLBACK_COMPLETE');
    const events = (await allEvents(cfn)).reverse();
    const failed = events.filter((e) => e.ResourceStatus === 'CREATE_FAILED');
    expect(failed[0].ResourceStatusReason).toMatch(/^Resource handler returned message: "Invalid request provided: /);
    expect(failed[1].ResourceStatusReason).toBe('Resource creation cancelled');
    const rollback = events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    expect(rollback.ResourceStatusReason).toBe(
      `The following resource(s) failed to create: [${failed[0].LogicalResourceId}, ${failed[1].LogicalResourceId}]. Rollback requested by user.`,
    );
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack.Outputs ?? []).toEqual([]);
  });

  it('refuses to update a ROLLBACK_COMPLETE stack; deleting it frees the name', async () => {
    const cfn = await setUp({ preset: 'rollback-complete' });
    expect(await settledStatus(cfn)).toBe('ROLLBACK_COMPLETE');
    await expect(cfn.send(new CreateChangeSetCommand(changeSetInput()))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(/is in ROLLBACK_COMPLETE state and can not be updated\.$/),
    });
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await expect(settledStatus(cfn)).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Stack with id app does not exist',
    });
    const { Id } = await cfn.send(new CreateChangeSetCommand(changeSetInput({ ChangeSetType: 'CREATE' })));
    expect((await readyChangeSet(cfn, Id!)).Status).toBe('CREATE_COMPLETE');
  });

  it('takes a CREATE change set on a stack in REVIEW_IN_PROGRESS', async () => {
    const cfn = await setUp({ preset: 'review-in-progress' });
    await expect(cfn.send(new CreateChangeSetCommand(changeSetInput()))).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await deploy(cfn, { ChangeSetType: 'CREATE' });
    expect(await settledStatus(cfn)).toBe('CREATE_COMPLETE');
  });

  it('shows another run in progress, which finishes on its own', async () => {
    const cfn = await setUp({ preset: 'in-progress', stack: { status: 'UPDATE_IN_PROGRESS', inProgressForMs: 300 } });
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack.StackStatus).toBe('UPDATE_IN_PROGRESS');
    await expect(cfn.send(new CreateChangeSetCommand(changeSetInput()))).rejects.toMatchObject({
      message: expect.stringMatching(/UPDATE_IN_PROGRESS state/),
    });
    expect(await settledStatus(cfn)).toBe('UPDATE_COMPLETE');
  });

  it('refuses to update UPDATE_ROLLBACK_FAILED until ContinueUpdateRollback completes the rollback', async () => {
    const cfn = await setUp({ preset: 'update-rollback-failed' });
    expect(await settledStatus(cfn)).toBe('UPDATE_ROLLBACK_FAILED');
    await expect(cfn.send(new CreateChangeSetCommand(changeSetInput()))).rejects.toMatchObject({
      message: expect.stringMatching(/UPDATE_ROLLBACK_FAILED state/),
    });
    await cfn.send(new ContinueUpdateRollbackCommand({ StackName: 'app' }));
    expect(await settledStatus(cfn)).toBe('UPDATE_ROLLBACK_COMPLETE');
    await deploy(cfn, { Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V2 }] });
    expect(await settledStatus(cfn)).toBe('UPDATE_COMPLETE');
  });

  it('checks names and template size the way the API does', async () => {
    const cfn = await setUp();
    await expect(
      cfn.send(
        new CreateChangeSetCommand(changeSetInput({ ChangeSetType: 'CREATE', ChangeSetName: 'deploy_feature.1' })),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message:
        "1 validation error detected: Value 'deploy_feature.1' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*",
    });
    const big = sampleTemplate({
      extraResources: { Big: { Type: 'AWS::SQS::Queue', Metadata: { padding: 'x'.repeat(51_200) } } },
    });
    await expect(
      cfn.send(new CreateChangeSetCommand(changeSetInput({ ChangeSetType: 'CREATE', TemplateBody: big }))),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200$/,
      ),
    });
  });

  it('answers Throttling with HTTP 400 so the SDK retries through a burst', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: { status: 'CREATE_COMPLETE' },
      throttle: { DescribeStacks: 2 },
    });
    const answer = await cfn.send(new DescribeStacksCommand({ StackName: 'app' }));
    expect(answer.$metadata.attempts).toBe(3);
    expect(fake!.calls.filter((c) => c.operation === 'DescribeStacks').map((c) => c.error)).toEqual([
      'Throttling',
      'Throttling',
      undefined,
    ]);
  });
});

describe('delete, cancel, protection', () => {
  it('deletes a stack: DELETE_IN_PROGRESS, then gone by name, DELETE_COMPLETE by id', async () => {
    const cfn = await setUp({ preset: 'existing', stack: { status: 'CREATE_COMPLETE' } });
    const [{ StackId }] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus).toBe(
      'DELETE_IN_PROGRESS',
    );
    expect(await settledStatus(cfn, StackId)).toBe('DELETE_COMPLETE');
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).rejects.toMatchObject({
      name: 'ValidationError',
    });
    const deletes = (await allEvents(cfn, StackId)).filter((e) => e.ResourceStatus === 'DELETE_COMPLETE');
    expect(deletes.at(-1)!.LogicalResourceId).toBe('Stage');
  });

  it('keeps a protected stack until protection is turned off', async () => {
    const cfn = await setUp({ preset: 'existing', stack: { status: 'CREATE_COMPLETE' } });
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'app', EnableTerminationProtection: true }));
    expect(
      (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].EnableTerminationProtection,
    ).toBe(true);
    await expect(cfn.send(new DeleteStackCommand({ StackName: 'app' }))).rejects.toMatchObject({
      message: expect.stringMatching(/TerminationProtection is enabled/),
    });
  });

  it('cancels an update: UPDATE_ROLLBACK_IN_PROGRESS, then UPDATE_ROLLBACK_COMPLETE', async () => {
    const cfn = await setUp({
      preset: 'existing',
      stack: { status: 'CREATE_COMPLETE', parameters: { ImageUri: IMAGE_V1 } },
      resourceStepMs: 200,
    });
    await deploy(cfn, { Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE_V2 }] });
    const { CancelUpdateStackCommand } = await import('@aws-sdk/client-cloudformation');
    await cfn.send(new CancelUpdateStackCommand({ StackName: 'app' }));
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0]).toMatchObject({
      StackStatus: 'UPDATE_ROLLBACK_IN_PROGRESS',
      StackStatusReason: 'Stack update cancelled',
    });
    expect(await settledStatus(cfn)).toBe('UPDATE_ROLLBACK_COMPLETE');
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'app' }));
    expect(JSON.parse(template.TemplateBody!).Resources.Service).toBeDefined();
  });
});

describe('nested stacks', () => {
  it('writes a nested stack’s events under its own stack id, and blames its resource on failure', async () => {
    const nested = {
      Nested: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { TemplateURL: 'https://bucket.s3.amazonaws.com/nested.json' },
      },
    };
    const cfn = await setUp({ failAt: { resource: 'Nested', reason: 'Resource handler returned message: "inner"' } });
    await deploy(cfn, { ChangeSetType: 'CREATE', TemplateBody: sampleTemplate({ extraResources: nested }) });
    expect(await settledStatus(cfn)).toBe('ROLLBACK_COMPLETE');
    const parentFailure = (await allEvents(cfn)).find(
      (e) => e.LogicalResourceId === 'Nested' && e.ResourceStatus === 'CREATE_FAILED',
    )!;
    expect(parentFailure.ResourceStatusReason).toMatch(
      /^Embedded stack arn:aws:cloudformation:.*was not successfully created: The following resource\(s\) failed to create: \[Service\]/,
    );
    const nestedEvents = await allEvents(cfn, parentFailure.PhysicalResourceId);
    expect(nestedEvents.every((e) => e.StackId === parentFailure.PhysicalResourceId)).toBe(true);
    expect(
      nestedEvents.find((e) => e.ResourceStatus === 'CREATE_FAILED' && e.LogicalResourceId === 'Service')
        ?.ResourceStatusReason,
    ).toBe('Resource handler returned message: "inner"');
  });
});
