import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  type ResourceChange,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { MemoryReporter } from '../reporter.js';
import { deployStack } from './engine.js';
import {
  awsError,
  deployRequest,
  eventLines as shownEvents,
  testWorld,
  type FakeCloudFormation,
  type fakeClock,
  type testClients,
} from '../../test-support/deploy-world.js';

const service: ResourceChange = {
  Action: 'Modify',
  LogicalResourceId: 'Service',
  ResourceType: 'AWS::ECS::Service',
  Replacement: 'False',
  Details: [{ Target: { Attribute: 'Properties', Name: 'TaskDefinition', RequiresRecreation: 'Never' } }],
};
const api: ResourceChange = { Action: 'Add', LogicalResourceId: 'Api', ResourceType: 'AWS::ApiGateway::RestApi' };

let clock: ReturnType<typeof fakeClock>;
let aws: FakeCloudFormation;
let env: ReturnType<typeof testClients>;
let reporter: MemoryReporter;

beforeEach(() => {
  ({ clock, aws, env, reporter } = testWorld());
});

const request = deployRequest;
const eventLines = () => shownEvents(reporter);
const changeSetTypes = () => env.cfn.commandCalls(CreateChangeSetCommand).map((c) => c.args[0].input.ChangeSetType);

describe('deployStack', () => {
  it('creates a new stack: shows the changes, streams its events, returns its outputs', async () => {
    aws.changeSet = { changes: [api], readyAfter: 1500 };
    aws.operation = {
      steps: [
        { after: 1000, logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', status: 'CREATE_IN_PROGRESS' },
        {
          after: 4000,
          logicalId: 'Api',
          type: 'AWS::ApiGateway::RestApi',
          status: 'CREATE_COMPLETE',
          physicalId: 'abc123',
        },
      ],
      final: 'CREATE_COMPLETE',
      outputs: { ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' },
    };

    const result = await deployStack(env.clients, request(), reporter);

    expect(changeSetTypes()).toEqual(['CREATE']);
    expect(reporter.text).toMatch(/\+\s+Add\s+Api\s+AWS::ApiGateway::RestApi/);
    expect(eventLines()).toEqual([
      'CREATE_IN_PROGRESS quiz',
      'CREATE_IN_PROGRESS Api',
      'CREATE_COMPLETE Api',
      'CREATE_COMPLETE quiz',
    ]);
    expect(result).toMatchObject({
      hasChanges: true,
      status: 'CREATE_COMPLETE',
      outputs: { ApiUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' },
    });
    expect(result.stackId).toMatch(/:stack\/quiz\//);
    expect(result.changeSetId).toMatch(/:changeSet\/pfa-/);
  });

  it('updates an existing stack', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service] };
    aws.operation = {
      steps: [
        { after: 500, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' },
        { after: 60_000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' },
      ],
      final: 'UPDATE_COMPLETE',
      outputs: { ApiUrl: 'https://x' },
    };

    const result = await deployStack(env.clients, request(), reporter);

    expect(changeSetTypes()).toEqual(['UPDATE']);
    expect(reporter.text).toMatch(/Changes to stack quiz:\n[^]*\n0 to add, 1 to modify, 0 to replace, 0 to remove/);
    expect(reporter.text).toContain('Properties.TaskDefinition');
    expect(eventLines()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      'UPDATE_IN_PROGRESS Service',
      'UPDATE_COMPLETE Service',
      'UPDATE_COMPLETE quiz',
    ]);
    expect(reporter.text).toContain('Stack quiz is UPDATE_COMPLETE');
    expect(result).toMatchObject({ hasChanges: true, status: 'UPDATE_COMPLETE', outputs: { ApiUrl: 'https://x' } });
  });

  it('executes a change set that lists no resource change, and never logs it as "No changes."', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [] }; // say only an output or a stack tag changes
    aws.operation = { steps: [], final: 'UPDATE_COMPLETE', outputs: { ApiUrl: 'https://x' } };

    const result = await deployStack(env.clients, request(), reporter);

    expect(result).toMatchObject({ hasChanges: true, changes: [], status: 'UPDATE_COMPLETE' });
    expect(result.changeSetId).toMatch(/:changeSet\/pfa-/);
    expect(reporter.text).not.toContain('No changes');
    expect(reporter.text).toContain(
      'Stack quiz: no resource changes; the change set changes only stack-level settings',
    );
  });

  it.each([
    "The submitted information didn't contain changes. Submit different information to create a change set.",
    'No updates are to be performed.',
  ])('treats an empty change set as success and deletes it: %s', async (reason) => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE', { outputs: { ApiUrl: 'https://x' } });
    aws.changeSet = { emptyReason: reason };

    const result = await deployStack(env.clients, request(), reporter);

    expect(result).toMatchObject({ hasChanges: false, changes: [], outputs: { ApiUrl: 'https://x' } });
    expect(result.changeSetId).toBeUndefined();
    expect(reporter.text).toContain('No changes to stack quiz');
    expect(reporter.text).toContain('deleted the empty change set');
    expect(env.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('fails on an empty change set when fail-on-empty-changeset is on', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { emptyReason: 'No updates are to be performed.' };

    await expect(deployStack(env.clients, request({ failOnEmptyChangeset: true }), reporter)).rejects.toThrow(
      'No changes to deploy to stack quiz, and fail-on-empty-changeset is on.',
    );
    expect(env.cfn.commandCalls(DeleteChangeSetCommand)).toHaveLength(1);
  });

  it('reports a change set that fails for another reason', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { failReason: 'Template format error: Unresolved resource dependencies [Vpc]' };
    await expect(deployStack(env.clients, request(), reporter)).rejects.toThrow(
      'The change set failed: Template format error: Unresolved resource dependencies [Vpc]',
    );
  });

  it('leads a failed deploy with the first failed resource, not the last rollback line', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service, api] };
    aws.operation = {
      steps: [
        { after: 1000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' },
        { after: 2000, logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', status: 'CREATE_IN_PROGRESS' },
        {
          after: 9000,
          logicalId: 'Service',
          type: 'AWS::ECS::Service',
          status: 'UPDATE_FAILED',
          reason: 'Resource handler returned message: "Invalid request provided: container port 8080 not found"',
        },
        {
          after: 9500,
          logicalId: 'Api',
          type: 'AWS::ApiGateway::RestApi',
          status: 'CREATE_FAILED',
          reason: 'Resource creation cancelled',
        },
        {
          after: 9600,
          logicalId: 'quiz',
          type: 'AWS::CloudFormation::Stack',
          status: 'UPDATE_ROLLBACK_IN_PROGRESS',
          reason: 'The following resource(s) failed to update: [Service].',
        },
      ],
      final: 'UPDATE_ROLLBACK_COMPLETE',
    };

    const failure = deployStack(env.clients, request(), reporter);

    await expect(failure).rejects.toThrow(
      /^Resource Service \(AWS::ECS::Service\) failed: Resource handler returned message: "Invalid request provided: container port 8080 not found"\n[^]*Stack quiz is UPDATE_ROLLBACK_COMPLETE\.$/,
    );
    expect(eventLines().at(-1)).toBe('UPDATE_ROLLBACK_COMPLETE quiz');
  });

  it('deletes a stack left in ROLLBACK_COMPLETE by a failed first create, then creates it again', async () => {
    aws.givenStack('quiz', 'ROLLBACK_COMPLETE');
    aws.changeSet = { changes: [api] };
    aws.operation = { steps: [], final: 'CREATE_COMPLETE' };

    const result = await deployStack(env.clients, request(), reporter);

    expect(reporter.text).toContain('Stack quiz is ROLLBACK_COMPLETE: its first create failed');
    expect(reporter.text).toContain('Deleting it first (delete-failed-stack is on).');
    expect(reporter.text).toContain('Stack quiz is DELETE_COMPLETE');
    expect(changeSetTypes()).toEqual(['CREATE']);
    expect(result.status).toBe('CREATE_COMPLETE');
  });

  it('lifts termination protection of a failed first create to recreate it', async () => {
    aws.givenStack('quiz', 'ROLLBACK_COMPLETE', { protection: true });
    aws.changeSet = { changes: [api] };
    aws.operation = { steps: [], final: 'CREATE_COMPLETE' };

    const result = await deployStack(env.clients, request({ terminationProtection: true }), reporter);

    expect(reporter.text).toContain('Turned off termination protection of quiz (ROLLBACK_COMPLETE) to delete it.');
    expect(reporter.text).toContain('Turned on termination protection for stack quiz.');
    expect(result.status).toBe('CREATE_COMPLETE');
  });

  it('plans the recreate of a ROLLBACK_COMPLETE stack without deleting it', async () => {
    aws.givenStack('quiz', 'ROLLBACK_COMPLETE');
    const templateBody = JSON.stringify({
      Resources: { Vpc: { Type: 'AWS::EC2::VPC' }, Api: { Type: 'AWS::ApiGateway::RestApi' } },
    });

    const result = await deployStack(env.clients, request({ mode: 'plan', templateBody }), reporter);

    expect(reporter.text).toContain('A deploy deletes it and creates it again (delete-failed-stack is on)');
    expect(reporter.text).toContain('2 to add, 0 to modify, 0 to replace, 0 to remove');
    expect(result).toMatchObject({ hasChanges: true, status: 'ROLLBACK_COMPLETE' });
    expect(env.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
    expect(changeSetTypes()).toEqual([]);
  });

  it('says how to get out of ROLLBACK_COMPLETE when delete-failed-stack is off', async () => {
    aws.givenStack('quiz', 'ROLLBACK_COMPLETE');
    await expect(deployStack(env.clients, request({ deleteFailedStack: false }), reporter)).rejects.toThrow(
      /ROLLBACK_COMPLETE[^]*aws cloudformation delete-stack --stack-name quiz[^]*delete-failed-stack: true/,
    );
    expect(env.cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('creates the first change set of a stack in REVIEW_IN_PROGRESS as a CREATE', async () => {
    aws.givenStack('quiz', 'REVIEW_IN_PROGRESS');
    aws.changeSet = { changes: [api] };
    aws.operation = { steps: [], final: 'CREATE_COMPLETE' };
    await deployStack(env.clients, request(), reporter);
    expect(changeSetTypes()).toEqual(['CREATE']);
  });

  it('waits for another run that is updating the stack, then goes on', async () => {
    aws.givenStack('quiz', 'UPDATE_IN_PROGRESS');
    aws.later('quiz', 'UPDATE_COMPLETE', 90_000);
    aws.changeSet = { changes: [service] };

    const result = await deployStack(env.clients, request(), reporter);

    expect(reporter.text).toContain(
      'Stack quiz is UPDATE_IN_PROGRESS: another operation is running. Waiting for it to finish',
    );
    expect(reporter.text).toMatch(/Stack quiz is UPDATE_COMPLETE after 1 min 3\d s; going on\./);
    expect(changeSetTypes()).toEqual(['UPDATE']);
    expect(result.status).toBe('UPDATE_COMPLETE');
  });

  it('names ContinueUpdateRollback for a stack in UPDATE_ROLLBACK_FAILED', async () => {
    aws.givenStack('quiz', 'UPDATE_ROLLBACK_FAILED');
    await expect(deployStack(env.clients, request(), reporter)).rejects.toThrow(
      /UPDATE_ROLLBACK_FAILED[^]*ContinueUpdateRollback[^]*aws cloudformation continue-update-rollback --stack-name quiz/,
    );
    expect(changeSetTypes()).toEqual([]);
  });

  it('rides out throttling while time remains', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service] };
    aws.throttle.set('DescribeChangeSet', 4).set('DescribeStackEvents', 8).set('CreateChangeSet', 2);

    const result = await deployStack(env.clients, request(), reporter);

    expect(reporter.text).toContain('AWS is throttling requests (Throttling); backing off and trying again.');
    expect(result.status).toBe('UPDATE_COMPLETE');
  });

  it('fails with a message naming timeout-minutes when the stack takes too long', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service] };
    aws.operation = {
      steps: [{ after: 1000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' }],
      final: 'UPDATE_COMPLETE',
    };
    aws.operation.steps.push({
      after: 3 * 3_600_000,
      logicalId: 'Service',
      type: 'AWS::ECS::Service',
      status: 'UPDATE_COMPLETE',
    });

    await expect(deployStack(env.clients, request({ timeoutMinutes: 5 }), reporter)).rejects.toThrow(
      'Timed out after 5 minutes (timeout-minutes) waiting for stack',
    );
  });

  it('cancels the update in CloudFormation when the run is cancelled, and says so', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service] };
    aws.operation = {
      steps: [
        { after: 1000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' },
        { after: 600_000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' },
      ],
      final: 'UPDATE_COMPLETE',
    };
    const controller = new AbortController();
    const started = clock.now();
    clock.onSleep = () => {
      if (clock.now() - started > 30_000) controller.abort();
    };

    await expect(deployStack(env.clients, request({ signal: controller.signal }), reporter)).rejects.toThrow(
      'Cancelled. Called CancelUpdateStack: CloudFormation rolls stack quiz back to its previous state.',
    );
    const cancels = env.cfn.commandCalls(CancelUpdateStackCommand);
    expect(cancels.map((c) => c.args[0].input.StackName)).toEqual([expect.stringMatching(/:stack\/quiz\//)]);
  });

  it('uploads a template over 51,200 bytes to S3 and passes its URL', async () => {
    const templateBody = JSON.stringify({ Resources: {}, Description: 'x'.repeat(52_000) });
    env.s3.on(PutObjectCommand).resolves({});
    aws.changeSet = { changes: [api] };
    aws.operation = { steps: [], final: 'CREATE_COMPLETE' };

    await deployStack(env.clients, request({ templateBody, s3Bucket: 'deploy-templates' }), reporter);

    const upload = env.s3.commandCalls(PutObjectCommand)[0].args[0].input;
    expect(upload).toMatchObject({ Bucket: 'deploy-templates', Body: templateBody });
    const create = env.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input;
    expect(create.TemplateBody).toBeUndefined();
    expect(create.TemplateURL).toBe(`https://deploy-templates.s3.eu-west-1.amazonaws.com/${upload.Key}`);
    expect(reporter.text).toMatch(
      /Template is 52,0\d\d bytes \(over 51,200\): uploaded to s3:\/\/deploy-templates\/quiz\//,
    );
  });

  it('refuses a template over 51,200 bytes without an S3 bucket', async () => {
    const templateBody = 'x'.repeat(51_201);
    await expect(deployStack(env.clients, request({ templateBody }), reporter)).rejects.toThrow(
      "The template is 51,201 bytes, over CloudFormation's 51,200-byte limit for inline templates: set s3-bucket",
    );
  });

  it('passes the execution role, parameters, tags and capabilities, and turns on termination protection', async () => {
    aws.changeSet = { changes: [api] };
    aws.operation = { steps: [], final: 'CREATE_COMPLETE' };
    const roleArn = 'arn:aws:iam::123456789012:role/cfn-exec';

    const result = await deployStack(env.clients, request({ roleArn, terminationProtection: true }), reporter);

    expect(env.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input).toMatchObject({
      RoleARN: roleArn,
      Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: 'repo@sha256:abc' }],
      Tags: [{ Key: 'app', Value: 'quiz' }],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    });
    expect(reporter.text).toContain('Turned on termination protection for stack quiz.');
    expect(aws.find(result.stackId!)!.protection).toBe(true);
  });

  it('leaves termination protection that is already on alone', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE', { protection: true });
    aws.changeSet = { changes: [service] };
    await deployStack(env.clients, request({ terminationProtection: false }), reporter);
    expect(aws.find('quiz')!.protection).toBe(true);
  });

  it('plans without deploying: shows the changes, deletes the change set and the empty new stack', async () => {
    aws.changeSet = { changes: [api, { ...service, Action: 'Remove' }] };

    const result = await deployStack(env.clients, request({ mode: 'plan' }), reporter);

    expect(result.hasChanges).toBe(true);
    expect(result.changeSetId).toBeUndefined();
    expect(result.changes).toHaveLength(2);
    expect(reporter.text).toContain('1 to add, 0 to modify, 0 to replace, 1 to remove');
    expect(reporter.text).toContain('Plan only: deleted change set');
    expect(eventLines()).toEqual([]);
    expect(aws.find('quiz')).toBeUndefined();
  });

  it("names a plan's change set as a plan, and uploads its large template under plan/ only", async () => {
    const templateBody = JSON.stringify({ Resources: {}, Description: 'x'.repeat(52_000) });
    env.s3.on(PutObjectCommand).resolves({});
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = { changes: [service] };
    await deployStack(env.clients, request({ mode: 'plan', templateBody, s3Bucket: 'deploy-templates' }), reporter);
    expect(env.cfn.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetName).toMatch(/^pfa-plan-/);
    expect(env.s3.commandCalls(PutObjectCommand)[0].args[0].input.Key).toMatch(/^plan\/quiz\/template-/);
  });

  it('plans a new stack with a role that may not delete stacks: leaves the empty stack and says so', async () => {
    aws.changeSet = { changes: [api] };
    env.cfn
      .on(DeleteStackCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: cloudformation:DeleteStack'));
    const result = await deployStack(env.clients, request({ mode: 'plan' }), reporter);
    expect(result.hasChanges).toBe(true);
    expect(reporter.text).toContain('Left the empty REVIEW_IN_PROGRESS stack quiz: this role may not delete stacks.');
  });
});
