// CloudWatch as the action asks it (JSON 1.0, DescribeAlarms by name): the alarms the stacks
// created, OK unless a scripted rollout fired one, then ALARM with the reason CloudWatch gives.
import type { CloudFormation } from './cloudformation.js';
import type { Ecs } from './ecs.js';
import { AwsError } from './errors.js';

const OPERATORS: Record<string, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function describeAlarms(
  operation: string,
  input: Record<string, unknown>,
  cfn: CloudFormation,
  ecs: Ecs,
  now: number,
): Record<string, unknown> {
  if (operation !== 'DescribeAlarms') throw new AwsError('UnknownOperationException', `Unknown operation ${operation}`);
  const wanted = new Set((input.AlarmNames as string[] | undefined) ?? []);
  const fired = ecs.firedAlarms(now);
  const alarms = cfn.stacks
    .filter((stack) => stack.live)
    .flatMap((stack) => [...stack.resources.values()])
    .filter(
      (r) => r.type === 'AWS::CloudWatch::Alarm' && r.physicalId && (wanted.size === 0 || wanted.has(r.physicalId)),
    )
    .map((r) => {
      const p = r.properties;
      const threshold = Number(p.Threshold ?? 0);
      const operator = typeof p.ComparisonOperator === 'string' ? p.ComparisonOperator : 'GreaterThanThreshold';
      const hit = fired.get(r.physicalId!);
      const value = hit?.value ?? threshold * 2;
      const words = OPERATORS[operator] ?? operator;
      return {
        AlarmName: r.physicalId,
        AlarmArn: `arn:aws:cloudwatch:${cfn.account.region}:${cfn.account.accountId}:alarm:${r.physicalId}`,
        AlarmDescription: p.AlarmDescription,
        Namespace: p.Namespace,
        MetricName: p.MetricName,
        Statistic: p.Statistic,
        ExtendedStatistic: p.ExtendedStatistic,
        Metrics: p.Metrics,
        Threshold: threshold,
        ComparisonOperator: operator,
        EvaluationPeriods: p.EvaluationPeriods,
        DatapointsToAlarm: p.DatapointsToAlarm,
        TreatMissingData: p.TreatMissingData,
        StateValue: hit ? 'ALARM' : 'OK',
        StateReason: hit
          ? `Threshold Crossed: 2 out of the last 3 datapoints [${value} (${new Date(hit.at).toISOString()})] were ${words} the threshold (${threshold}) (minimum 2 datapoints for OK -> ALARM transition).`
          : `Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [NonBreaching].`,
        StateUpdatedTimestamp: (hit?.at ?? now) / 1000,
      };
    });
  return { MetricAlarms: alarms, CompositeAlarms: [] };
}
