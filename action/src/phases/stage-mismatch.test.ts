import { describe, expect, it } from '@jest/globals';
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { MemoryReporter } from '../reporter.js';
import { stageMismatchExplainer } from './stage-mismatch.js';
import { configOf, minimalInput } from '../../test-support/configs.js';
import { awsError, fakeClock, testClients } from '../../test-support/deploy-world.js';

const TARGET_GROUP = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/pubqu-Targe-1/0123456789abcdef';

function world(states: string[]) {
  const mocks = testClients(fakeClock());
  mocks.cfn.on(DescribeStackResourcesCommand, { StackName: 'pubquiz' }).resolves({
    StackResources: [
      { LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service', PhysicalResourceId: 'svc' } as never,
      {
        LogicalResourceId: 'TargetGroup',
        ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup',
        PhysicalResourceId: TARGET_GROUP,
      } as never,
    ],
  });
  mocks.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: TARGET_GROUP }).resolves({
    TargetHealthDescriptions: states.map((State, i) => ({
      Target: { Id: `10.0.2.${i}`, Port: 8080 },
      TargetHealth: { State },
    })),
  } as never);
  return mocks;
}

describe('a 404 through API Gateway', () => {
  const config = configOf(minimalInput);

  it('is named a stage-prefix mismatch, with the fix, when the target group has healthy targets', async () => {
    const { clients } = world(['healthy', 'healthy', 'draining']);
    const explain = stageMismatchExplainer(clients, 'pubquiz', config, '/health', new MemoryReporter());
    const reason = await explain();
    expect(reason).toContain('The load balancer reports 2 healthy targets');
    expect(reason).toContain('stage-prefix mismatch');
    expect(reason).toContain('(/prod/health rather than /health)');
    expect(reason).toContain('API_STAGE_PREFIX (/prod on the task)');
    expect(reason).toContain('"The stage in the path" in the README');
  });

  it('is not explained when no target is healthy: the service itself is the problem', async () => {
    const { clients } = world(['unhealthy', 'initial']);
    expect(await stageMismatchExplainer(clients, 'pubquiz', config, '/health', new MemoryReporter())()).toBeUndefined();
  });

  it('is not explained, and says why, when the target health cannot be read', async () => {
    const mocks = world(['healthy']);
    mocks.elbv2
      .on(DescribeTargetHealthCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: elasticloadbalancing:DescribeTargetHealth'));
    const reporter = new MemoryReporter();
    expect(await stageMismatchExplainer(mocks.clients, 'pubquiz', config, '/health', reporter)()).toBeUndefined();
    expect(reporter.lines.join('\n')).toContain("Could not read the target group's health to explain the 404");
  });
});
