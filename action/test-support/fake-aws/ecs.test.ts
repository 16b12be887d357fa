import { afterEach, describe, expect, it } from '@jest/globals';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { advanceUntil, manualClock, type ManualClock } from '../manual-clock.js';
import { awsConfig, sampleTemplate, startFakeAws, type FakeAws, type StartOptions } from './index.js';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:' + 'f'.repeat(64);

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

// Scripted time moves only when the test advances it: no race with a loaded machine's real time.
let clock: ManualClock;
const eventually = <T>(probe: () => Promise<T | undefined | false>) => advanceUntil(clock, probe);

/** Creates the sample stack and waits until its ECS service exists; returns the clients and names. */
async function createStack(options: StartOptions) {
  clock = manualClock();
  fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 10, ...options, now: clock.now });
  const cfn = new CloudFormationClient(awsConfig(fake.url));
  const ecs = new ECSClient(awsConfig(fake.url));
  const { Id } = await cfn.send(
    new CreateChangeSetCommand({
      StackName: 'app',
      ChangeSetName: 'first',
      ChangeSetType: 'CREATE',
      TemplateBody: sampleTemplate(),
      Parameters: [{ ParameterKey: 'ImageUri', ParameterValue: IMAGE }],
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  await eventually(async () =>
    cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })).then(
      () => true,
      () => false,
    ),
  );
  const service = await eventually(async () => {
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))).StackEvents!;
    return events.find((e) => e.LogicalResourceId === 'Service' && e.PhysicalResourceId);
  });
  const [, cluster, serviceName] = service.PhysicalResourceId!.split('/');
  return { cfn, ecs, cluster, serviceName };
}

async function stoppedTasks(ecs: ECSClient, cluster: string, serviceName: string, count: number) {
  const arns = await eventually(async () => {
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'STOPPED' }));
    return taskArns!.length >= count && taskArns!;
  });
  return (await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))).tasks!;
}

describe('a service whose tasks keep stopping', () => {
  it('keeps the stack resource CREATE_IN_PROGRESS while tasks fail to pull the image, then fails the circuit breaker', async () => {
    const { cfn, ecs, cluster, serviceName } = await createStack({
      service: { tasks: 'image-pull', taskCycleMs: 40, failAfterMs: 400 },
    });
    const [task] = await stoppedTasks(ecs, cluster, serviceName, 2);
    expect(task).toMatchObject({
      lastStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      group: `service:${serviceName}`,
    });
    expect(task.stoppedReason).toBe(
      `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${IMAGE}: ${IMAGE}: not found`,
    );
    expect(task.containers![0].image).toBe(IMAGE);
    expect(task.containers![0].exitCode).toBeUndefined();

    const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    expect(services![0].events![0].createdAt).toBeInstanceOf(Date);
    expect(services![0].events!.map((e) => e.message)).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\(service ${serviceName}\\) has started 1 tasks: \\(task [0-9a-f]{32}\\)\\.$`),
      ),
    );
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks!;
    expect(stack.StackStatus).toBe('CREATE_IN_PROGRESS');

    const failed = await eventually(async () => {
      const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))).StackEvents!;
      return events.find((e) => e.LogicalResourceId === 'Service' && e.ResourceStatus === 'CREATE_FAILED');
    });
    expect(failed.ResourceStatusReason).toMatch(/ECS Deployment Circuit Breaker was triggered/);
  });

  it('reports crashing containers with their exit code', async () => {
    const { ecs, cluster, serviceName } = await createStack({
      service: { tasks: 'exit', exitCode: 3, taskCycleMs: 40, failAfterMs: null },
    });
    const [task] = await stoppedTasks(ecs, cluster, serviceName, 1);
    expect(task).toMatchObject({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    expect(task.containers![0]).toMatchObject({ name: 'app', exitCode: 3, lastStatus: 'STOPPED' });
  });

  it('reports failing ELB health checks, in the service events and the task', async () => {
    const { ecs, cluster, serviceName } = await createStack({
      service: { tasks: 'health-check', taskCycleMs: 40, failAfterMs: null },
    });
    const [task] = await stoppedTasks(ecs, cluster, serviceName, 3);
    expect(task.stoppedReason).toMatch(
      /^Task failed ELB health checks in \(target-group arn:aws:elasticloadbalancing:/,
    );
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    const messages = services![0].events!.map((e) => e.message!);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /\(port 8080\) is unhealthy in \(target-group .*\) due to \(reason Health checks failed\)\.$/,
      ),
    );
    expect(messages).toContainEqual(expect.stringMatching(/is unable to consistently start tasks successfully/));
    expect(services![0].deployments![0].rolloutState).toBe('FAILED');
  });
});

describe('a healthy service', () => {
  it('reaches a steady state and the stack completes', async () => {
    const { cfn, ecs, cluster, serviceName } = await createStack({ service: { tasks: 'healthy', taskCycleMs: 20 } });
    await eventually(
      async () =>
        (await cfn.send(new DescribeStacksCommand({ StackName: 'app' }))).Stacks![0].StackStatus === 'CREATE_COMPLETE',
    );
    const { services, failures } = await ecs.send(
      new DescribeServicesCommand({ cluster, services: [serviceName, 'other'] }),
    );
    expect(services![0]).toMatchObject({ status: 'ACTIVE', runningCount: 1, desiredCount: 1 });
    expect(services![0].events![0].message).toBe(`(service ${serviceName}) has reached a steady state.`);
    expect(failures).toEqual([
      { arn: `arn:aws:ecs:us-east-1:123456789012:service/${cluster}/other`, reason: 'MISSING' },
    ]);
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: [serviceName] })),
    ).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
  });
});
