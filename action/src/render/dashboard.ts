// One CloudWatch dashboard per stack, laid out the way a rollout is watched: traffic and errors
// at the top, latency, the load balancer's view of the targets, the tasks' CPU and memory, the
// task count and deployments, and the alarms that gate rollouts.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { ComputeRefs } from './compute.js';
import type { StorageRefs } from './storage.js';
import { getAtt, type Resources } from './intrinsics.js';

export const DASHBOARD = 'Dashboard';

export interface DashboardInputs {
  compute: ComputeRefs;
  storage: StorageRefs;
  targetGroupIds: string[];
  loadBalancerId: string;
  /** Logical ids of the alarms to show. */
  alarmIds: string[];
}

type Metric = (string | Record<string, string>)[];
interface Widget {
  title: string;
  metrics: Metric[];
  stat?: string;
}

const API = ['ApiName', '${AWS::StackName}', 'Stage'];
const SERVICE = ['ClusterName', '${ClusterName}', 'ServiceName', '${ServiceName}'];

export function renderDashboard(config: Config, inputs: DashboardInputs): Resources {
  if (!config.dashboard) return {};
  const api = [...API, config.api.stage];
  const targets = inputs.targetGroupIds.flatMap((_, i) =>
    ['HealthyHostCount', 'UnHealthyHostCount'].map((metric) => [
      'AWS/NetworkELB',
      metric,
      'TargetGroup',
      `\${TargetGroup${i}}`,
      'LoadBalancer',
      '${LoadBalancerFullName}',
      { label: `${metric === 'HealthyHostCount' ? 'healthy' : 'unhealthy'} (target group ${i + 1})` },
    ]),
  );
  const widgets: Widget[] = [
    {
      title: 'Requests and errors',
      stat: 'Sum',
      metrics: [
        ['AWS/ApiGateway', 'Count', ...api, { label: 'requests' }],
        ['AWS/ApiGateway', '4XXError', ...api, { label: '4XX' }],
        ['AWS/ApiGateway', '5XXError', ...api, { label: '5XX' }],
      ],
    },
    {
      title: 'Latency (ms)',
      metrics: ['p50', 'p90', 'p99'].map((p) => ['AWS/ApiGateway', 'Latency', ...api, { stat: p, label: p }]),
    },
    { title: 'Load balancer targets', stat: 'Maximum', metrics: targets },
    {
      title: 'CPU and memory (%)',
      stat: 'Average',
      metrics: [
        ['AWS/ECS', 'CPUUtilization', ...SERVICE, { label: 'CPU' }],
        ['AWS/ECS', 'MemoryUtilization', ...SERVICE, { label: 'memory' }],
      ],
    },
    {
      title: 'Tasks and rollouts',
      stat: 'Average',
      metrics: ['DesiredTaskCount', 'RunningTaskCount', 'PendingTaskCount', 'DeploymentCount'].map((metric) => [
        'ECS/ContainerInsights',
        metric,
        ...SERVICE,
      ]),
    },
  ];
  if (inputs.storage.environment.TABLE_NAME !== undefined) {
    widgets.push({
      title: 'Table capacity and throttles',
      stat: 'Sum',
      metrics: [
        'ConsumedReadCapacityUnits',
        'ConsumedWriteCapacityUnits',
        'ReadThrottleEvents',
        'WriteThrottleEvents',
      ].map((metric) => ['AWS/DynamoDB', metric, 'TableName', '${TableName}']),
    });
  }
  const body = {
    widgets: [
      ...widgets.map((w, i) => ({
        type: 'metric',
        x: (i % 2) * 12,
        y: Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
          title: w.title,
          region: '${AWS::Region}',
          view: 'timeSeries',
          period: 60,
          ...(w.stat ? { stat: w.stat } : {}),
          metrics: w.metrics,
        },
      })),
      ...(inputs.alarmIds.length > 0
        ? [
            {
              type: 'alarm',
              x: 0,
              y: Math.ceil(widgets.length / 2) * 6,
              width: 24,
              height: 3,
              properties: {
                title: 'Alarms',
                alarms: inputs.alarmIds.map((id) => `\${${id}Arn}`),
              },
            },
          ]
        : []),
    ],
  };
  const variables: Record<string, Value> = {
    ClusterName: inputs.compute.clusterName,
    ServiceName: inputs.compute.serviceName,
    LoadBalancerFullName: getAtt(inputs.loadBalancerId, 'LoadBalancerFullName'),
    ...Object.fromEntries(inputs.targetGroupIds.map((id, i) => [`TargetGroup${i}`, getAtt(id, 'TargetGroupFullName')])),
    ...Object.fromEntries(inputs.alarmIds.map((id) => [`${id}Arn`, getAtt(id, 'Arn')])),
  };
  if (inputs.storage.environment.TABLE_NAME !== undefined) variables.TableName = inputs.storage.environment.TABLE_NAME;
  return {
    [DASHBOARD]: {
      Type: 'AWS::CloudWatch::Dashboard',
      // Sub fills in the Region, the stack name and the variables; the JSON itself holds no other ${.
      Properties: {
        // Dashboard names are account-wide: the Region keeps one stack name in two Regions apart.
        DashboardName: { 'Fn::Sub': '${AWS::StackName}-${AWS::Region}' },
        DashboardBody: { 'Fn::Sub': [JSON.stringify(body), variables] },
      },
    },
  };
}

/** The console address of the dashboard (Ref of a dashboard is its name). */
export const dashboardUrl: Value = {
  'Fn::Sub': `https://\${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=\${AWS::Region}#dashboards/dashboard/\${${DASHBOARD}}`,
};
