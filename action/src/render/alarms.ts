// The alarms that say a deployment is hurting users: API Gateway 5XX rate and p99 latency on the
// stage, unhealthy load balancer targets, running tasks below desired and, with a table, DynamoDB
// throttles. The first three gate rollouts (ECS rolls back when one fires). Each alarm looks at
// one-minute periods and treats missing data as fine, so an API nobody calls never alarms.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { ComputeRefs } from './compute.js';
import type { StorageRefs } from './storage.js';
import { getAtt, sub, type Resources } from './intrinsics.js';

/** Logical ids of the alarms that gate rollouts, in the order the log and summary show them. */
export const GATE_ALARMS = ['ApiErrorRateAlarm', 'ApiLatencyAlarm', 'UnhealthyTargetsAlarm'] as const;

/** Alarm names carry the stack name, so an ECS rollback message names the stack's own alarm. */
const NAME_SUFFIX: Record<string, string> = {
  ApiErrorRateAlarm: 'api-5xx-rate',
  ApiLatencyAlarm: 'api-latency-p99',
  UnhealthyTargetsAlarm: 'unhealthy-targets',
  TasksBelowDesiredAlarm: 'tasks-below-desired',
  TableThrottlesAlarm: 'table-throttles',
};

export const alarmName = (logicalId: string): Value => sub(`\${AWS::StackName}-${NAME_SUFFIX[logicalId]}`);

/** The names ECS watches during a rollout; empty when the alarms or the rollback are off. */
export function gateAlarmNames(config: Config): Value[] {
  return config.alarms.enabled && config.alarms.rollback ? GATE_ALARMS.map(alarmName) : [];
}

export interface AlarmInputs {
  compute: ComputeRefs;
  storage: StorageRefs;
  /** Target groups the service registers in (two with blue/green, canary and linear). */
  targetGroupIds: string[];
  loadBalancerId: string;
}

const PERIOD = 60;

export function renderAlarms(config: Config, inputs: AlarmInputs): Resources {
  const a = config.alarms;
  if (!a.enabled) return {};
  const common = (logicalId: string, description: string): Record<string, Value> => ({
    AlarmName: alarmName(logicalId),
    AlarmDescription: description,
    EvaluationPeriods: a.evaluationMinutes,
    DatapointsToAlarm: a.datapointsToAlarm,
    TreatMissingData: 'notBreaching',
    ...(a.snsTopicArn ? { AlarmActions: [a.snsTopicArn], OKActions: [a.snsTopicArn] } : {}),
  });
  const api = [
    { Name: 'ApiName', Value: sub('${AWS::StackName}') },
    { Name: 'Stage', Value: config.api.stage },
  ];
  const resources: Resources = {
    ApiErrorRateAlarm: alarm({
      ...common('ApiErrorRateAlarm', `More than ${a.errorRatePercent}% of API requests answered 5XX`),
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: api,
      // 5XXError is 1 or 0 per request, so its average is the error rate.
      Statistic: 'Average',
      Period: PERIOD,
      Threshold: a.errorRatePercent / 100,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
    ApiLatencyAlarm: alarm({
      ...common('ApiLatencyAlarm', `API p99 latency above ${a.latencyP99Ms} ms`),
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: api,
      ExtendedStatistic: 'p99',
      Period: PERIOD,
      Threshold: a.latencyP99Ms,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
    UnhealthyTargetsAlarm: alarm({
      ...common('UnhealthyTargetsAlarm', `${a.unhealthyTargets} or more unhealthy load balancer targets`),
      Metrics: [
        ...inputs.targetGroupIds.map((id, i) => ({
          Id: `tg${i}`,
          ReturnData: false,
          MetricStat: {
            Metric: {
              Namespace: 'AWS/NetworkELB',
              MetricName: 'UnHealthyHostCount',
              Dimensions: [
                { Name: 'TargetGroup', Value: getAtt(id, 'TargetGroupFullName') },
                { Name: 'LoadBalancer', Value: getAtt(inputs.loadBalancerId, 'LoadBalancerFullName') },
              ],
            },
            Period: PERIOD,
            Stat: 'Maximum',
          },
        })),
        {
          Id: 'unhealthy',
          Label: 'Unhealthy targets',
          Expression: inputs.targetGroupIds.map((_, i) => `tg${i}`).join(' + '),
          ReturnData: true,
        },
      ],
      Threshold: a.unhealthyTargets,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
    TasksBelowDesiredAlarm: alarm({
      ...common('TasksBelowDesiredAlarm', 'Fewer tasks running than the service wants (Container Insights)'),
      Metrics: [
        containerInsights('desired', 'DesiredTaskCount', inputs.compute),
        containerInsights('running', 'RunningTaskCount', inputs.compute),
        { Id: 'missing', Label: 'Tasks missing', Expression: 'desired - running', ReturnData: true },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  };
  const table = inputs.storage.environment.TABLE_NAME;
  if (table !== undefined) {
    const throttles = (id: string, metric: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: 'AWS/DynamoDB', MetricName: metric, Dimensions: [{ Name: 'TableName', Value: table }] },
        Period: PERIOD,
        Stat: 'Sum',
      },
    });
    resources.TableThrottlesAlarm = alarm({
      ...common('TableThrottlesAlarm', 'DynamoDB throttled reads or writes of the table'),
      Metrics: [
        throttles('reads', 'ReadThrottleEvents'),
        throttles('writes', 'WriteThrottleEvents'),
        { Id: 'throttled', Label: 'Throttled requests', Expression: 'reads + writes', ReturnData: true },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  }
  return resources;
}

const alarm = (properties: Record<string, Value>) => ({ Type: 'AWS::CloudWatch::Alarm', Properties: properties });

function containerInsights(id: string, metric: string, compute: ComputeRefs): Value {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'ECS/ContainerInsights',
        MetricName: metric,
        Dimensions: [
          { Name: 'ClusterName', Value: compute.clusterName },
          { Name: 'ServiceName', Value: compute.serviceName },
        ],
      },
      Period: PERIOD,
      Stat: 'Average',
    },
  };
}
