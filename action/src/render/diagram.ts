// A Mermaid flowchart of what renderStack builds for this config, in a fenced block GitHub renders
// in READMEs, pull request comments and job summaries. It follows the renderer's own decisions
// (effective routes, when VPC endpoints are on) rather than re-deriving them.
import type { Config, Route } from '../config/schema.js';
import { LISTENER_PORT } from './load-balancer.js';
import { endpointsEnabled, interfaceEndpointServices } from './network.js';
import { effectiveRoutes } from './routes.js';

/** Escapes what would end a quoted Mermaid label early or be read as markup. */
const label = (...lines: string[]) =>
  `"${lines.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function taskSize(config: Config): string {
  const { cpu, memory } = config.service;
  const gb = memory >= 1024 ? `${memory / 1024} GB` : `${memory} MiB`;
  const arch = config.image.platform === 'linux/arm64' ? ' · arm64' : '';
  return `${cpu / 1024} vCPU · ${gb}${arch}`;
}

function taskCount(config: Config): string {
  const scaling = config.service.autoscaling;
  return scaling
    ? `${scaling.min}–${scaling.max} tasks, autoscaled at ${scaling.cpuTarget}% CPU`
    : plural(config.service.desiredCount, 'task');
}

function apiLabel(config: Config, routes: Route[]): string {
  const { api } = config;
  const auth = [...new Set(routes.map((r) => r.auth))].sort().join(', ');
  const extras = [api.tracing && 'X-Ray', api.wafWebAclArn && 'WAF'].filter(Boolean).join(' · ');
  return label(
    'API Gateway REST API',
    `stage ${api.stage} · ${api.routes.length === 0 ? 'proxy: every path' : plural(api.routes.length, 'route')}`,
    `auth: ${auth}`,
    ...(api.domain ? [api.domain.name] : []),
    ...(extras ? [extras] : []),
  );
}

export function renderDiagram(config: Config): string {
  const routes = effectiveRoutes(config);
  const byTarget = (target: (r: Route) => boolean) => routes.filter(target).length;
  const toService = byTarget((r) => r.target === 'service');
  const mocks = byTarget((r) => r.target === 'mock');
  const lambdas = [...new Set(routes.map((r) => r.target).filter((t) => t.startsWith('arn:')))].sort();
  const { existing, natGateways } = config.network;
  const endpoints = endpointsEnabled(config);

  const lines = [
    'flowchart LR',
    `  client(["Internet clients"]) -->|HTTPS| restApi[${apiLabel(config, routes)}]`,
    `  restApi -->|${plural(toService, 'route')}| vpcLink[${label(`VPC link ${config.api.vpcLink}`)}]`,
  ];
  lambdas.forEach((arn, i) => {
    const count = byTarget((r) => r.target === arn);
    lines.push(`  restApi -->|${plural(count, 'route')}| lambda${i + 1}[${label('Lambda', arn.split(':')[6] ?? arn)}]`);
  });
  if (mocks > 0) lines.push(`  restApi -->|${plural(mocks, 'route')}| mockIntegration[${label('mock integration')}]`);

  lines.push(
    existing
      ? `  subgraph vpc[${label(`existing VPC ${existing.vpcId}`)}]`
      : `  subgraph vpc[${label(`VPC ${config.network.cidr} · 2 AZs`)}]`,
    `    subgraph privateSubnets[${label(existing ? `private subnets (${existing.privateSubnetIds.length})` : 'private subnets')}]`,
    `      nlb[${label('internal NLB', `TCP ${LISTENER_PORT} → ${config.service.port}`)}]`,
    `      fargate[${label('Fargate service', taskSize(config), taskCount(config))}]`,
  );
  if (endpoints) lines.push(`      endpoints[${label('VPC endpoints', endpointServices(config).join(', '))}]`);
  lines.push('    end');
  if (!existing && natGateways > 0) {
    lines.push(
      `    subgraph publicSubnets[${label('public subnets')}]`,
      `      nat[${label(natGateways === 1 ? 'NAT gateway (shared)' : 'NAT gateways (one per AZ)')}]`,
      '    end',
    );
  }
  lines.push('  end', '  vpcLink --> nlb', '  nlb --> fargate');

  lines.push(`  awsServices([${label('AWS services', 'ECR · CloudWatch Logs')}])`);
  if (!existing && natGateways > 0) lines.push('  fargate --> nat', '  nat --> awsServices');
  if (endpoints) lines.push('  fargate --> endpoints', '  endpoints --> awsServices');
  if (existing) lines.push(`  fargate -->|the VPC's own routes| awsServices`);
  if (config.storage.dynamodb)
    lines.push(
      `  fargate -->|${existing ? `the VPC's own routes` : 'gateway endpoint'}| table[(${label('DynamoDB table')})]`,
    );
  return ['```mermaid', ...lines, '```', ''].join('\n');
}

const SERVICE_NAMES: Record<string, string> = {
  'ecr.api': 'ECR',
  'ecr.dkr': 'ECR',
  logs: 'Logs',
  secretsmanager: 'Secrets Manager',
  ssm: 'SSM',
};

/** The endpoints network.ts creates (the interface ones and the S3 gateway), as people name them. */
function endpointServices(config: Config): string[] {
  return [...new Set([...interfaceEndpointServices(config).map((service) => SERVICE_NAMES[service] ?? service), 'S3'])];
}
