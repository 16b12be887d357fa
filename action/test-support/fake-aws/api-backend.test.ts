import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsConfig, eventually, startFakeAws, type FakeAws } from './index.js';
import { createSampleStack, startHealthOnlyApp, startSampleStack } from './sample-stack.js';

let fake: FakeAws | undefined;
let app: Awaited<ReturnType<typeof startHealthOnlyApp>> | undefined;
afterEach(async () => {
  await fake?.close();
  await app?.close();
  fake = app = undefined;
});

describe('the deployed API in front of a real app', () => {
  it('forwards the route path, or with the stageInPath switch the stage in front of it, and answers what the app answers', async () => {
    app = await startHealthOnlyApp();
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 5, smoke: { backendUrl: app.url } });
    const apiUrl = await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));

    const direct = await fetch(`${apiUrl}health?probe=1`);
    expect([direct.status, await direct.json()]).toEqual([200, { ok: true }]);
    fake.scenario({ smoke: { stageInPath: true } });
    expect((await fetch(`${apiUrl}health`)).status).toBe(404);
    // A path no route serves never reaches the app.
    expect((await fetch(`${apiUrl}quizzes`)).status).toBe(403);

    expect(app.paths).toEqual(['/health?probe=1', '/prod/health']);
    const forwarded = fake.calls.filter((c) => c.service === 'api').map((c) => c.input?.forwardedPath);
    expect(forwarded).toEqual(['/health?probe=1', '/prod/health', undefined]);
  });

  it('answers 502 when the app cannot be reached', async () => {
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 5, smoke: { backendUrl: 'http://127.0.0.1:9' } });
    const apiUrl = await createSampleStack(new CloudFormationClient(awsConfig(fake.url)));
    expect((await fetch(`${apiUrl}health`)).status).toBe(502);
  });
});

describe('target health (ELBv2 DescribeTargetHealth)', () => {
  async function targetGroupOf(cfn: CloudFormationClient): Promise<string> {
    const { StackResources } = await cfn.send(new DescribeStackResourcesCommand({ StackName: 'app' }));
    return StackResources!.find((r) => r.ResourceType === 'AWS::ElasticLoadBalancingV2::TargetGroup')!
      .PhysicalResourceId!;
  }

  it("lists the service's running tasks, healthy when they pass their checks", async () => {
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 5, service: { taskCycleMs: 20 } });
    const cfn = new CloudFormationClient(awsConfig(fake.url));
    await createSampleStack(cfn);
    const elbv2 = new ElasticLoadBalancingV2Client(awsConfig(fake.url));
    const TargetGroupArn = await targetGroupOf(cfn);
    await eventually(async () => {
      const { TargetHealthDescriptions: targets = [] } = await elbv2.send(
        new DescribeTargetHealthCommand({ TargetGroupArn }),
      );
      return targets.length > 0 && targets.every((t) => t.TargetHealth?.State === 'healthy' && t.Target?.Port === 8080);
    });
    expect(fake.callCounts('elbv2').DescribeTargetHealth).toBeGreaterThan(0);
  });

  it('reports failing health checks as unhealthy, and an unknown target group as not found', async () => {
    fake = await startFakeAws({
      changeSetReadyMs: 20,
      resourceStepMs: 5,
      service: { tasks: 'health-check', taskCycleMs: 200, failAfterMs: null },
    });
    const cfn = new CloudFormationClient(awsConfig(fake.url));
    await startSampleStack(cfn);
    const elbv2 = new ElasticLoadBalancingV2Client(awsConfig(fake.url));
    await eventually(async () => {
      const arn = await targetGroupOf(cfn).catch(() => undefined);
      if (!arn) return false;
      const { TargetHealthDescriptions: targets = [] } = await elbv2.send(
        new DescribeTargetHealthCommand({ TargetGroupArn: arn }),
      );
      return targets.length > 0 && targets.every((t) => t.TargetHealth?.State === 'unhealthy');
    });
    await expect(
      elbv2.send(
        new DescribeTargetHealthCommand({
          TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef',
        }),
      ),
    ).rejects.toMatchObject({ name: 'TargetGroupNotFoundException' });
  });
});
