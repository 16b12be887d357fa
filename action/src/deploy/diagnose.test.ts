import { beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { MemoryReporter } from '../reporter.js';
import { diagnoseService, parseServiceArn } from './diagnose.js';
import { deployStack } from './engine.js';
import {
  FakeCloudFormation,
  awsError,
  deployRequest,
  fakeClock,
  testClients,
} from '../../test-support/deploy-world.js';
import { DEFAULT_POLL, Waiter } from './wait.js';

const serviceArn = 'arn:aws:ecs:eu-west-1:123456789012:service/quiz-Cluster-AbC/quiz-Service-XyZ';

let env: ReturnType<typeof testClients>;
let clock: ReturnType<typeof fakeClock>;
let reporter: MemoryReporter;

beforeEach(() => {
  clock = fakeClock();
  env = testClients(clock);
  reporter = new MemoryReporter();
  env.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        deployments: [
          { rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' },
        ],
        events: [
          {
            createdAt: new Date('2026-11-26T09:02:00Z'),
            message: '(service quiz-Service-XyZ) deployment failed: tasks failed to start.',
          },
          {
            createdAt: new Date('2026-11-26T09:01:00Z'),
            message: '(service quiz-Service-XyZ) has started 1 tasks: (task 1a2b).',
          },
        ],
      },
    ],
  });
  env.ecs
    .on(ListTasksCommand, { desiredStatus: 'STOPPED' })
    .resolves({ taskArns: ['arn:aws:ecs:eu-west-1:123456789012:task/quiz-Cluster-AbC/1a2b'] });
  env.ecs.on(DescribeTasksCommand).resolves({
    tasks: [
      {
        taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/quiz-Cluster-AbC/1a2b',
        stopCode: 'TaskFailedToStart',
        stoppedReason:
          'ResourceInitializationError: unable to pull secrets or registry auth: There is a connection issue between the task and Amazon ECR.',
        containers: [{ name: 'app', reason: 'CannotPullContainerError' }],
      },
      {
        taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/quiz-Cluster-AbC/3c4d',
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        containers: [{ name: 'app', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' }],
      },
    ],
  });
});

describe('diagnoseService', () => {
  it("shows the service's events oldest first and each stopped task's reason and exit codes", async () => {
    const lines = await diagnoseService(
      await env.clients.ecs(),
      new Waiter(clock, DEFAULT_POLL, 1, reporter),
      serviceArn,
    );
    expect(lines).toEqual([
      'ECS service quiz-Service-XyZ (cluster quiz-Cluster-AbC):',
      '  deployment FAILED: ECS deployment circuit breaker: tasks failed to start.',
      '  service event 09:01:00: (service quiz-Service-XyZ) has started 1 tasks: (task 1a2b).',
      '  service event 09:02:00: (service quiz-Service-XyZ) deployment failed: tasks failed to start.',
      '  stopped task 1a2b [TaskFailedToStart]: ResourceInitializationError: unable to pull secrets or registry auth: There is a connection issue between the task and Amazon ECR.',
      '    container app: CannotPullContainerError, never ran (no exit code)',
      '  stopped task 3c4d [EssentialContainerExited]: Essential container in task exited',
      '    container app: OutOfMemoryError: Container killed due to memory usage, exit code 137',
    ]);
  });

  it('shows tasks that stopped for the same reason once', async () => {
    const pullFailure = {
      stopCode: 'TaskFailedToStart' as const,
      stoppedReason: 'CannotPullContainerError: not found',
      containers: [{ name: 'app', reason: 'CannotPullContainerError: not found' }],
    };
    env.ecs.on(DescribeTasksCommand).resolves({
      tasks: ['aaa', 'bbb', 'ccc'].map((id) => ({
        taskArn: `arn:aws:ecs:eu-west-1:123456789012:task/quiz-Cluster-AbC/${id}`,
        ...pullFailure,
      })),
    });
    const lines = await diagnoseService(
      await env.clients.ecs(),
      new Waiter(clock, DEFAULT_POLL, 1, reporter),
      serviceArn,
    );
    expect(lines.slice(-2)).toEqual([
      '  3 stopped tasks (aaa, bbb, ccc) [TaskFailedToStart]: CannotPullContainerError: not found',
      '    container app: never ran (no exit code)',
    ]);
  });

  it('reads cluster and service from the service ARN', () => {
    expect(parseServiceArn(serviceArn)).toEqual({ cluster: 'quiz-Cluster-AbC', service: 'quiz-Service-XyZ' });
    expect(parseServiceArn('quiz-Service-XyZ')).toBeUndefined();
  });
});

describe('a deploy whose ECS service fails', () => {
  const request = deployRequest();
  const serviceStep = { logicalId: 'Service', type: 'AWS::ECS::Service', physicalId: serviceArn };

  it('puts the stopped tasks’ reasons in the error, right after the root cause', async () => {
    const aws = new FakeCloudFormation(clock, env.cfn);
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = {
      changes: [{ Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' }],
    };
    aws.operation = {
      steps: [
        { after: 1000, ...serviceStep, status: 'UPDATE_IN_PROGRESS' },
        {
          after: 400_000,
          ...serviceStep,
          status: 'UPDATE_FAILED',
          reason:
            'Resource handler returned message: "Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'."',
        },
      ],
      final: 'UPDATE_ROLLBACK_COMPLETE',
    };

    const error = await deployStack(env.clients, request, reporter).catch((e: Error) => e);

    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe(
      `Resource Service (AWS::ECS::Service) failed: Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'."`,
    );
    expect(lines[1]).toBe('ECS service quiz-Service-XyZ (cluster quiz-Cluster-AbC):');
    expect(lines).toContain('    container app: OutOfMemoryError: Container killed due to memory usage, exit code 137');
    expect(lines.at(-1)).toBe('Stack quiz is UPDATE_ROLLBACK_COMPLETE.');
    expect(reporter.text).toContain('stopped task 1a2b [TaskFailedToStart]: ResourceInitializationError');
  });

  it('shows why a service that never stabilizes is stuck when the timeout is reached', async () => {
    const aws = new FakeCloudFormation(clock, env.cfn);
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = {
      changes: [{ Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' }],
    };
    aws.operation = {
      steps: [
        { after: 1000, ...serviceStep, status: 'UPDATE_IN_PROGRESS' },
        { after: 10_800_000, ...serviceStep, status: 'UPDATE_COMPLETE' },
      ],
      final: 'UPDATE_COMPLETE',
    };

    await expect(deployStack(env.clients, { ...request, timeoutMinutes: 15 }, reporter)).rejects.toThrow(
      /^Timed out after 15 minutes \(timeout-minutes\) waiting for stack quiz to finish\. Service is still UPDATE_IN_PROGRESS\.\nECS service quiz-Service-XyZ[^]*exit code 137/,
    );
  });

  it('still reports the root cause when ECS cannot be read', async () => {
    env.ecs
      .on(DescribeServicesCommand)
      .rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServices'));
    const aws = new FakeCloudFormation(clock, env.cfn);
    aws.givenStack('quiz', 'UPDATE_COMPLETE');
    aws.changeSet = {
      changes: [{ Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' }],
    };
    aws.operation = {
      steps: [{ after: 1000, ...serviceStep, status: 'UPDATE_FAILED', reason: 'did not stabilize' }],
      final: 'UPDATE_ROLLBACK_COMPLETE',
    };

    await expect(deployStack(env.clients, request, reporter)).rejects.toThrow(
      /^Resource Service \(AWS::ECS::Service\) failed: did not stabilize\nCould not read the ECS service [^\n]* ecs:DescribeServices/,
    );
  });
});
