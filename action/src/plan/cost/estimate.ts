// A monthly estimate of a rendered stack, line by line, from the dated price table: what runs all
// month (NAT gateways, NLB, VPC endpoints, Fargate tasks at their minimum count, public IPv4
// addresses) and what depends on traffic, at stated volumes. Lines without a price for the Region
// are kept, without a number, and make the estimate partial.
import type { Template } from '../../render/template.js';
import { listOf, props, resourcesOfType, show } from '../template-view.js';
import { PRICE_TABLE } from './price-table.js';
import { priceOf, type PriceKey, type PriceTable } from './prices.js';

export const HOURS_PER_MONTH = 730;

/** The traffic the usage-priced lines assume; stated next to every estimate. */
export interface Volumes {
  requestsPerMonth: number;
  logGbPerMonth: number;
  /** Traffic to AWS services (image pulls, logs, APIs) through the NAT gateways or the VPC endpoints. */
  egressGbPerMonth: number;
  dynamoDbWritesPerMonth: number;
  dynamoDbReadsPerMonth: number;
}

export const DEFAULT_VOLUMES: Volumes = {
  requestsPerMonth: 10_000_000,
  logGbPerMonth: 5,
  egressGbPerMonth: 10,
  dynamoDbWritesPerMonth: 1_000_000,
  dynamoDbReadsPerMonth: 10_000_000,
};

export interface CostLine {
  item: string;
  /** How the quantity was counted: `2 tasks × 0.25 vCPU × 730 h`. */
  quantity: string;
  /** USD per month; undefined when a price is missing for the Region. */
  monthly?: number;
  missing: PriceKey[];
}

export interface Estimate {
  region: string;
  lines: CostLine[];
  /** The sum of the priced lines. */
  total: number;
  /** Some line had no price for the Region: the total leaves it out. */
  partial: boolean;
  priceDate: string;
  volumes: Volumes;
}

export function estimateCost(
  template: Template,
  region: string,
  volumes: Volumes = DEFAULT_VOLUMES,
  table: PriceTable = PRICE_TABLE,
): Estimate {
  const lines: CostLine[] = [];
  const line = (item: string, quantity: string, parts: [PriceKey, number][]) => {
    const missing = parts.filter(([key]) => priceOf(table, region, key) === undefined).map(([key]) => key);
    const monthly = missing.length
      ? undefined
      : parts.reduce((sum, [key, units]) => sum + units * priceOf(table, region, key)!.usd, 0);
    lines.push({ item, quantity, monthly, missing });
  };
  const h = HOURS_PER_MONTH;
  const count = (type: string) => resourcesOfType(template, type).length;

  const nats = count('AWS::EC2::NatGateway');
  if (nats) {
    line('NAT gateways', `${nats} × ${h} h`, [['natGatewayHour', nats * h]]);
    line('NAT data processing', `${volumes.egressGbPerMonth} GB`, [['natGatewayGb', volumes.egressGbPerMonth]]);
  }
  const ips = count('AWS::EC2::EIP');
  if (ips) line('Public IPv4 addresses', `${ips} × ${h} h`, [['publicIpv4Hour', ips * h]]);
  const nlbs = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(
    ([, lb]) => show(props(lb).Type) === 'network',
  ).length;
  if (nlbs) line('Network Load Balancer (hours; NLCU not included)', `${nlbs} × ${h} h`, [['nlbHour', nlbs * h]]);
  const interfaceEndpoints = resourcesOfType(template, 'AWS::EC2::VPCEndpoint').filter(
    ([, endpoint]) => show(props(endpoint).VpcEndpointType) === 'Interface',
  );
  if (interfaceEndpoints.length) {
    const endpointAzs = interfaceEndpoints.reduce(
      (sum, [, endpoint]) => sum + Math.max(1, listOf(props(endpoint).SubnetIds).length),
      0,
    );
    line('VPC interface endpoints', `${interfaceEndpoints.length} endpoints, ${endpointAzs} endpoint-AZs × ${h} h`, [
      ['interfaceEndpointHour', endpointAzs * h],
    ]);
    // With NAT gateways too, AWS-bound traffic takes the endpoints; the NAT line above still counts it.
    line('VPC endpoint data processing', `${volumes.egressGbPerMonth} GB`, [
      ['interfaceEndpointGb', volumes.egressGbPerMonth],
    ]);
  }
  fargateLines(template, line);
  if (count('AWS::ApiGateway::RestApi'))
    line('API Gateway REST requests', `${millions(volumes.requestsPerMonth)} requests`, [
      ['apiGatewayMillionRequests', volumes.requestsPerMonth / 1e6],
    ]);
  if (count('AWS::Logs::LogGroup'))
    line('CloudWatch Logs ingestion', `${volumes.logGbPerMonth} GB`, [['logsIngestionGb', volumes.logGbPerMonth]]);
  const onDemandTables = resourcesOfType(template, 'AWS::DynamoDB::Table').filter(
    ([, table]) => show(props(table).BillingMode) === 'PAY_PER_REQUEST',
  );
  if (onDemandTables.length)
    line(
      'DynamoDB on-demand requests',
      `${millions(volumes.dynamoDbWritesPerMonth)} writes, ${millions(volumes.dynamoDbReadsPerMonth)} reads`,
      [
        ['dynamoDbMillionWrites', volumes.dynamoDbWritesPerMonth / 1e6],
        ['dynamoDbMillionReads', volumes.dynamoDbReadsPerMonth / 1e6],
      ],
    );

  const total = lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0);
  return { region, lines, total, partial: lines.some((l) => l.monthly === undefined), priceDate: table.date, volumes };
}

/** Fargate vCPU and memory for every service, at the autoscaling minimum (else the desired count, else 1). */
function fargateLines(template: Template, line: (item: string, quantity: string, parts: [PriceKey, number][]) => void) {
  const minimums = new Map<string, number>();
  for (const [, target] of resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget')) {
    const [, serviceId] = /\$\{(\w+)\.Name\}/.exec(show(props(target).ResourceId)) ?? [];
    if (serviceId) minimums.set(serviceId, Number(show(props(target).MinCapacity)));
  }
  for (const [id, service] of resourcesOfType(template, 'AWS::ECS::Service')) {
    const taskId = show(props(service).TaskDefinition);
    const task = props(template.Resources[taskId]);
    const vcpu = Number(show(task.Cpu)) / 1024;
    const gb = Number(show(task.Memory)) / 1024;
    if (!vcpu || !gb) continue;
    const desired = props(service).DesiredCount;
    const tasks = minimums.get(id) ?? (desired === undefined ? 1 : Number(show(desired)));
    const counted = minimums.has(id) ? `min ${tasks}` : `${tasks}`;
    const arm = show((task.RuntimePlatform as Record<string, string> | undefined)?.CpuArchitecture) === 'ARM64';
    const label = `Fargate${arm ? ' (ARM)' : ''} ${id}`;
    line(`${label} vCPU`, `${counted} tasks × ${vcpu} vCPU × ${HOURS_PER_MONTH} h`, [
      [arm ? 'fargateArmVcpuHour' : 'fargateVcpuHour', tasks * vcpu * HOURS_PER_MONTH],
    ]);
    line(`${label} memory`, `${counted} tasks × ${gb} GB × ${HOURS_PER_MONTH} h`, [
      [arm ? 'fargateArmGbHour' : 'fargateGbHour', tasks * gb * HOURS_PER_MONTH],
    ]);
  }
}

const millions = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : String(n));

export interface CostDelta {
  item: string;
  before?: number;
  after?: number;
}

/** Per line, the deployed stack's estimate against the rendered one's (lines in either). */
export function costDelta(before: Estimate, after: Estimate): CostDelta[] {
  const items = [...new Set([...after.lines.map((l) => l.item), ...before.lines.map((l) => l.item)])];
  return items.map((item) => ({
    item,
    before:
      before.lines.find((l) => l.item === item)?.monthly ?? (before.lines.some((l) => l.item === item) ? undefined : 0),
    after:
      after.lines.find((l) => l.item === item)?.monthly ?? (after.lines.some((l) => l.item === item) ? undefined : 0),
  }));
}
