// Elastic Load Balancing v2 as the smoke test reads it: DescribeTargetHealth of a target group the
// stacks created. Its targets are the fake ECS service's running tasks, healthy when the scenario's
// tasks are and unhealthy otherwise, so a test can tell "the app is up" from "the service is down".
import { AwsError } from './errors.js';
import type { Ecs } from './ecs.js';
import type { QueryValue, XmlValue } from './query-protocol.js';

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_XMLNS = `http://elasticloadbalancing.amazonaws.com/doc/${ELBV2_VERSION}/`;

/** The task's private IP in the fake VPC, stable for its id. */
const ipOf = (taskId: string) =>
  `10.0.${parseInt(taskId.slice(0, 2), 16) % 2 === 0 ? 2 : 3}.${parseInt(taskId.slice(2, 4), 16)}`;

export function elbv2Action(
  ecs: Ecs,
  targetGroupExists: (arn: string) => boolean,
  action: string,
  input: Record<string, QueryValue>,
  now: number,
): Record<string, XmlValue> {
  if (action !== 'DescribeTargetHealth') throw new AwsError('InvalidAction', `Unknown operation ${action}`);
  const arn = typeof input.TargetGroupArn === 'string' ? input.TargetGroupArn : '';
  if (!arn) throw new AwsError('ValidationError', 'TargetGroupArn is required');
  if (!targetGroupExists(arn)) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  return {
    TargetHealthDescriptions: ecs.registeredTasks(arn, now).map((task) => ({
      Target: { Id: ipOf(task.id), Port: task.port },
      HealthCheckPort: String(task.port),
      TargetHealth:
        task.behaviour === 'healthy'
          ? { State: 'healthy' }
          : { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
    })),
  };
}
