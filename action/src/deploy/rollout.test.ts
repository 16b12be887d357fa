import { describe, expect, it } from '@jest/globals';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { MemoryReporter } from '../reporter.js';
import { fakeClock, T0, testClients } from '../../test-support/deploy-world.js';
import { RolloutView, rolloutLine } from './rollout.js';
import { DEFAULT_POLL, Waiter } from './wait.js';

const SERVICE = 'arn:aws:ecs:eu-west-1:123456789012:service/quiz-Cluster-AB/quiz-Service-CD';
const DEPLOYMENT = 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/quiz-Cluster-AB/quiz-Service-CD/42';

const deployment = (over: Partial<ServiceDeployment>): ServiceDeployment => ({
  serviceDeploymentArn: DEPLOYMENT,
  status: 'IN_PROGRESS',
  lifecycleStage: 'SCALE_UP',
  targetServiceRevision: { requestedTaskCount: 2, runningTaskCount: 1, pendingTaskCount: 1 },
  sourceServiceRevisions: [{ runningTaskCount: 2 }],
  deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
  alarms: { status: 'MONITORING', alarmNames: ['quiz-api-5xx-rate', 'quiz-api-latency-p99'], triggeredAlarmNames: [] },
  ...over,
});

function world() {
  const clock = fakeClock();
  const { clients, ecs, cloudWatch } = testClients(clock);
  const reporter = new MemoryReporter();
  const waiter = new Waiter(clock, DEFAULT_POLL, 5, reporter);
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        currentServiceDeployment: DEPLOYMENT,
        deployments: [
          { status: 'PRIMARY', createdAt: new Date(T0), runningCount: 0, desiredCount: 2, pendingCount: 2 },
        ],
      },
    ],
  });
  const view = new RolloutView(clients.ecs, clients.cloudWatch, waiter, reporter, SERVICE, new Date(T0));
  return { clock, ecs, cloudWatch, reporter, view };
}

describe('the live rollout view', () => {
  it('makes one ECS call per poll and prints a line only when something changed', async () => {
    const { clock, ecs, reporter, view } = world();
    ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [deployment({})] })
      .resolvesOnce({ serviceDeployments: [deployment({})] })
      .resolves({
        serviceDeployments: [
          deployment({
            lifecycleStage: 'BAKE_TIME',
            targetServiceRevision: {
              requestedTaskCount: 2,
              runningTaskCount: 2,
              requestedProductionTrafficWeight: 100,
            },
          }),
        ],
      });
    for (let poll = 0; poll < 4; poll++) {
      await view.poll();
      await clock.sleep(90_000);
    }
    expect(ecs.calls()).toHaveLength(4);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(1);
    expect(reporter.lines).toEqual([
      'rollout of quiz-Service-CD: 0/2 tasks running, 2 pending',
      'rollout of quiz-Service-CD (blue-green): SCALE_UP · new 1/2 running, 1 pending · old 2 running · alarms monitoring (2)',
      'rollout of quiz-Service-CD (blue-green): BAKE_TIME · new 2/2 running · old 2 running · traffic 100% on new · bake 5 min left · alarms monitoring (2)',
    ]);
  });

  it('explains an alarm rollback with the metric, threshold and the value CloudWatch saw, reading the alarm once', async () => {
    const { ecs, cloudWatch, view } = world();
    const rolledBack = deployment({
      status: 'ROLLBACK_IN_PROGRESS',
      alarms: { status: 'TRIGGERED', alarmNames: ['quiz-api-5xx-rate'], triggeredAlarmNames: ['quiz-api-5xx-rate'] },
    });
    ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [rolledBack] });
    cloudWatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        {
          AlarmName: 'quiz-api-5xx-rate',
          Namespace: 'AWS/ApiGateway',
          MetricName: '5XXError',
          Statistic: 'Average',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0.05,
          StateReason:
            'Threshold Crossed: 2 out of the last 3 datapoints [0.4 (29/11/26 23:00:00)] were greater than the threshold (0.05).',
        },
      ],
    });
    await view.poll();
    await view.poll();
    await view.poll();
    expect(await view.explain()).toEqual([
      'ECS rolled the deployment back: alarm quiz-api-5xx-rate fired (AWS/ApiGateway 5XXError Average > 0.05): Threshold Crossed: 2 out of the last 3 datapoints [0.4 (29/11/26 23:00:00)] were greater than the threshold (0.05).',
    ]);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(1);
  });

  it('explains a circuit-breaker rollback, and says nothing when the rollout succeeded', async () => {
    const { ecs, view } = world();
    ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        deployment({
          status: 'ROLLBACK_SUCCESSFUL',
          deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
        }),
      ],
    });
    await view.poll();
    await view.poll();
    expect(await view.explain()).toEqual([
      'ECS rolled the deployment back: the circuit breaker tripped after 3 failed tasks (threshold 3).',
    ]);
    expect(rolloutLine('quiz', deployment({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }))).toMatch(
      /^rollout of quiz \(blue-green\): SUCCESSFUL CLEAN_UP · /,
    );
  });
});
