import { beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import type { MemoryReporter } from '../reporter.js';
import { deployStack } from './engine.js';
import {
  awsError,
  deployRequest,
  eventLines as shownEvents,
  testWorld,
  type FakeCloudFormation,
  type Step,
  type testClients,
} from '../../test-support/deploy-world.js';

let aws: FakeCloudFormation;
let env: ReturnType<typeof testClients>;
let reporter: MemoryReporter;

beforeEach(() => {
  ({ aws, env, reporter } = testWorld());
  aws.givenStack('quiz', 'UPDATE_COMPLETE');
  aws.changeSet = { changes: [{ Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' }] };
});

const request = deployRequest();
const eventLines = () => shownEvents(reporter);

describe('following a stack operation', () => {
  it('prints every event once and in order, also when one poll spans several pages', async () => {
    aws.eventPageSize = 2;
    const resources = ['Vpc', 'SubnetA', 'SubnetB', 'Nat', 'Cluster', 'Service', 'Api'];
    aws.operation = {
      // Bursts of events close together (several pages per poll) and long quiet stretches.
      steps: resources.flatMap((id, i): Step[] => [
        { after: 100 + i * 10, logicalId: id, type: 'AWS::X::Y', status: 'UPDATE_IN_PROGRESS' },
        { after: 20_000 + i * 7_000, logicalId: id, type: 'AWS::X::Y', status: 'UPDATE_COMPLETE' },
      ]),
      final: 'UPDATE_COMPLETE',
    };

    await deployStack(env.clients, request, reporter);

    expect(eventLines()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      ...resources.map((id) => `UPDATE_IN_PROGRESS ${id}`),
      ...resources.map((id) => `UPDATE_COMPLETE ${id}`),
      'UPDATE_COMPLETE quiz',
    ]);
  });

  it('loses no event when AWS throttles a poll half-way through its stacks', async () => {
    const nested = aws.nestedStackId('quiz');
    aws.operation = {
      steps: [
        {
          after: 1000,
          logicalId: 'Network',
          type: 'AWS::CloudFormation::Stack',
          physicalId: nested,
          status: 'UPDATE_IN_PROGRESS',
        },
        { after: 1100, stackId: nested, logicalId: 'Vpc', type: 'AWS::EC2::VPC', status: 'UPDATE_COMPLETE' },
        { after: 1200, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' },
        {
          after: 5000,
          logicalId: 'Network',
          type: 'AWS::CloudFormation::Stack',
          physicalId: nested,
          status: 'UPDATE_COMPLETE',
        },
        { after: 5100, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' },
      ],
      final: 'UPDATE_COMPLETE',
    };
    let throttled = 0;
    env.cfn.on(DescribeStackEventsCommand).callsFake((input) => {
      // The nested stack's first reads are throttled, after the root stack's events were read in the same poll.
      if (input.StackName === nested && throttled++ < 2) throw awsError('Throttling', 'Rate exceeded');
      return aws.describeEvents(input.StackName, input.NextToken);
    });

    await deployStack(env.clients, request, reporter);

    expect(eventLines()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      'UPDATE_IN_PROGRESS Network',
      'UPDATE_COMPLETE Network/Vpc',
      'UPDATE_IN_PROGRESS Service',
      'UPDATE_COMPLETE Network',
      'UPDATE_COMPLETE Service',
      'UPDATE_COMPLETE quiz',
    ]);
  });

  it('follows nested stacks, their events in place and named after their parent resource', async () => {
    const nested = aws.nestedStackId('quiz');
    const network = { logicalId: 'Network', type: 'AWS::CloudFormation::Stack', physicalId: nested };
    const inside = { stackId: nested, type: 'AWS::EC2::VPC' };
    const nestedRoot = {
      stackId: nested,
      logicalId: 'quiz-Network-1X2Y',
      type: 'AWS::CloudFormation::Stack',
      physicalId: nested,
    };
    aws.operation = {
      steps: [
        { after: 1000, ...network, status: 'UPDATE_IN_PROGRESS' },
        { after: 1200, ...nestedRoot, status: 'UPDATE_IN_PROGRESS' },
        { after: 1300, ...inside, logicalId: 'Vpc', status: 'UPDATE_IN_PROGRESS' },
        { after: 1400, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_IN_PROGRESS' },
        { after: 9000, ...inside, logicalId: 'Vpc', status: 'UPDATE_COMPLETE' },
        { after: 9500, ...nestedRoot, status: 'UPDATE_COMPLETE' },
        { after: 9600, ...network, status: 'UPDATE_COMPLETE' },
        { after: 12_000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' },
      ],
      final: 'UPDATE_COMPLETE',
    };

    await deployStack(env.clients, request, reporter);

    expect(eventLines()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      'UPDATE_IN_PROGRESS Network',
      'UPDATE_IN_PROGRESS Network/quiz-Network-1X2Y',
      'UPDATE_IN_PROGRESS Network/Vpc',
      'UPDATE_IN_PROGRESS Service',
      'UPDATE_COMPLETE Network/Vpc',
      'UPDATE_COMPLETE Network/quiz-Network-1X2Y',
      'UPDATE_COMPLETE Network',
      'UPDATE_COMPLETE Service',
      'UPDATE_COMPLETE quiz',
    ]);
  });

  it('finds the root cause inside a nested stack, not in the parent summing it up', async () => {
    const nested = aws.nestedStackId('quiz');
    aws.operation = {
      steps: [
        {
          after: 1000,
          logicalId: 'Network',
          type: 'AWS::CloudFormation::Stack',
          physicalId: nested,
          status: 'UPDATE_IN_PROGRESS',
        },
        {
          after: 2000,
          stackId: nested,
          logicalId: 'Nat',
          type: 'AWS::EC2::NatGateway',
          status: 'UPDATE_FAILED',
          reason: 'The maximum number of addresses has been reached.',
        },
        {
          after: 3000,
          logicalId: 'Network',
          type: 'AWS::CloudFormation::Stack',
          physicalId: nested,
          status: 'UPDATE_FAILED',
          reason: 'Embedded stack was not successfully updated.',
        },
        {
          after: 3100,
          logicalId: 'Service',
          type: 'AWS::ECS::Service',
          status: 'UPDATE_FAILED',
          reason: 'Resource update cancelled',
        },
      ],
      final: 'UPDATE_ROLLBACK_COMPLETE',
    };

    await expect(deployStack(env.clients, request, reporter)).rejects.toThrow(
      /^Resource Nat \(AWS::EC2::NatGateway\) failed: The maximum number of addresses has been reached\./,
    );
  });

  it("still ends when the stack's own final event never shows up", async () => {
    aws.omitEvent = (event) => event.ResourceType === 'AWS::CloudFormation::Stack';
    aws.operation = {
      steps: [{ after: 3000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' }],
      final: 'UPDATE_COMPLETE',
    };

    const result = await deployStack(env.clients, request, reporter);

    expect(eventLines()).toEqual(['UPDATE_COMPLETE Service']);
    expect(reporter.text).toContain('Stack quiz is UPDATE_COMPLETE');
    expect(result.status).toBe('UPDATE_COMPLETE');
  });

  /** Deploys once, then again with one resource change: the event lines of the second deploy. */
  async function secondDeployEvents(): Promise<string[]> {
    aws.operation = { steps: [], final: 'UPDATE_COMPLETE' };
    await deployStack(env.clients, request, reporter);
    reporter.lines.length = 0;
    aws.operation = {
      steps: [{ after: 100, logicalId: 'Api', type: 'AWS::ApiGateway::Deployment', status: 'CREATE_COMPLETE' }],
      final: 'UPDATE_COMPLETE',
    };
    await deployStack(env.clients, request, reporter);
    return eventLines();
  }

  it('does not print the events of earlier operations', async () => {
    expect(await secondDeployEvents()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      'CREATE_COMPLETE Api',
      'UPDATE_COMPLETE quiz',
    ]);
  });

  it('never takes an event of another operation for its own, whatever its time stamp says', async () => {
    // Another tool's operation whose last event AWS stamps after this one started (clocks differ).
    aws.later('quiz', 'UPDATE_COMPLETE', 1500, 'Console-UpdateStack-7f59c3cf');
    aws.operation = {
      steps: [{ after: 3000, logicalId: 'Service', type: 'AWS::ECS::Service', status: 'UPDATE_COMPLETE' }],
      final: 'UPDATE_COMPLETE',
    };

    await deployStack(env.clients, request, reporter);

    expect(eventLines()).toEqual(['UPDATE_IN_PROGRESS quiz', 'UPDATE_COMPLETE Service', 'UPDATE_COMPLETE quiz']);
  });

  it('tells its events by time on an endpoint that stamps no ClientRequestToken', async () => {
    aws.recordsTokens = false;
    expect(await secondDeployEvents()).toEqual([
      'UPDATE_IN_PROGRESS quiz',
      'CREATE_COMPLETE Api',
      'UPDATE_COMPLETE quiz',
    ]);
  });
});
