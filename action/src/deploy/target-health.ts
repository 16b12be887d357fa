// How many targets the stack's load balancer target group counts as healthy: the load balancer
// checks the tasks directly, so healthy targets behind an API that answers 404 mean the app is up
// and API Gateway sends it a path it does not know.
import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { DeployClients } from './clients.js';

export interface TargetHealth {
  targetGroupArn: string;
  healthy: number;
  total: number;
}

/** Longest either call may take: this only refines an error message. */
const CALL_TIMEOUT_MS = 10_000;

/** The target group's health, or undefined when the stack has none. Throws what AWS throws. */
export async function stackTargetHealth(
  clients: Pick<DeployClients, 'cloudFormation' | 'elbv2'>,
  stackName: string,
  signal?: AbortSignal,
  timeoutMs = CALL_TIMEOUT_MS,
): Promise<TargetHealth | undefined> {
  const deadline = () =>
    signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  const { StackResources: resources = [] } = await clients.cloudFormation.send(
    new DescribeStackResourcesCommand({ StackName: stackName }),
    { abortSignal: deadline() },
  );
  const targetGroupArn = resources.find(
    (r) => r.ResourceType === 'AWS::ElasticLoadBalancingV2::TargetGroup',
  )?.PhysicalResourceId;
  if (!targetGroupArn) return undefined;
  const { DescribeTargetHealthCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const elbv2 = await clients.elbv2();
  const { TargetHealthDescriptions: targets = [] } = await elbv2.send(
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
    { abortSignal: deadline() },
  );
  const healthy = targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
  return { targetGroupArn, healthy, total: targets.length };
}
