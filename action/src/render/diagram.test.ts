import { describe, expect, it } from '@jest/globals';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { renderDiagram } from './diagram.js';

const LAMBDA = 'arn:aws:lambda:eu-west-1:123456789012:function:reports';

function diagramFor(input: Partial<ConfigInput> = {}): string {
  return renderDiagram(configSchema.parse({ name: 'pubquiz', service: { port: 8080 }, ...input }));
}

/**
 * The parts of Mermaid's flowchart grammar this diagram uses, checked the way Mermaid would
 * refuse them: a fenced block, balanced subgraphs and brackets, each node defined once, every
 * edge between defined nodes. (The mermaid package itself needs a DOM and d3 to parse.)
 */
function mermaidProblems(block: string): string[] {
  const problems: string[] = [];
  const lines = block.trimEnd().split('\n');
  if (lines[0] !== '```mermaid' || lines.at(-1) !== '```') problems.push('not a fenced mermaid block');
  if (lines[1] !== 'flowchart LR') problems.push(`starts with "${lines[1]}"`);
  const body = lines.slice(2, -1);
  const defined = new Map<string, number>();
  const used = new Set<string>();
  let depth = 0;
  for (const line of body) {
    const unquoted = line.replace(/"[^"]*"/g, '""');
    if (/"/.test(unquoted.replace(/""/g, ''))) problems.push(`unbalanced quotes: ${line}`);
    const unlabelled = unquoted.replace(/\|[^|]*\|/g, '');
    const brackets = unlabelled.replace(/-->|-\.->/g, '');
    let open = 0;
    for (const c of brackets) open += '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
    if (open !== 0) problems.push(`unbalanced brackets: ${line}`);
    if (/^\s*subgraph /.test(line)) depth++;
    if (line.trim() === 'end') depth--;
    if (depth < 0) problems.push('end without subgraph');
    for (const [, id] of unquoted.matchAll(/(?:^|\s|>|\|)([A-Za-z][A-Za-z0-9]*)(?=\[|\()/g))
      defined.set(id, (defined.get(id) ?? 0) + 1);
    const edge = unlabelled.replace(/\[\(""\)\]|\(\[""\]\)|\[""\]/g, '').split(/-->|-\.->/);
    if (edge.length > 1) edge.forEach((id) => used.add(id.trim()));
  }
  if (depth !== 0) problems.push(`${depth} subgraph(s) not closed`);
  for (const [id, count] of defined) if (count > 1) problems.push(`node ${id} defined ${count} times`);
  for (const id of used) if (!defined.has(id)) problems.push(`edge to undefined node ${id}`);
  return problems;
}

const configs: [string, Partial<ConfigInput>][] = [
  ['the defaults', {}],
  [
    'v1, no NAT, storage, lambda and mock routes',
    {
      network: { natGateways: 0 },
      storage: { dynamodb: true },
      api: {
        vpcLink: 'v1',
        routes: [
          { path: '/quizzes' },
          { path: '/reports', target: LAMBDA, auth: 'iam' },
          { path: '/ping', target: 'mock' },
        ],
      },
    },
  ],
  [
    'an existing VPC with autoscaling on arm64',
    {
      image: { platform: 'linux/arm64' },
      service: { port: 8080, cpu: 1024, memory: 2048, autoscaling: { min: 2, max: 6 } },
      network: { existing: { vpcId: 'vpc-0abc0abc', privateSubnetIds: ['subnet-01010101', 'subnet-02020202'] } },
      storage: { dynamodb: true },
    },
  ],
];

describe('renderDiagram', () => {
  it.each(configs)('is well-formed Mermaid for %s', (_, input) => {
    expect(mermaidProblems(diagramFor(input))).toEqual([]);
  });

  it('catches malformed Mermaid in its own checker', () => {
    expect(mermaidProblems('```mermaid\nflowchart LR\n  a["x"] --> b\n  a["y"]\n  subgraph s["s"]\n```')).toEqual([
      '1 subgraph(s) not closed',
      'node a defined 2 times',
      'edge to undefined node b',
    ]);
  });

  it('draws the default path: internet → REST API → VPC link v2 → internal NLB → Fargate, one shared NAT', () => {
    const diagram = diagramFor();
    expect(diagram).toContain('API Gateway REST API<br/>stage prod · proxy: every path<br/>auth: none');
    expect(diagram).toContain('VPC link v2');
    expect(diagram).toContain('"internal NLB<br/>TCP 80 → 8080"');
    expect(diagram).toContain('Fargate service<br/>0.25 vCPU · 512 MiB<br/>2 tasks');
    expect(diagram).toContain('VPC 10.40.0.0/16 · 2 AZs');
    expect(diagram).toContain('NAT gateway (shared)');
    expect(diagram).not.toContain('VPC endpoints');
    expect(diagram).not.toContain('DynamoDB');
  });

  it('shows the v1 link, VPC endpoints instead of NAT, the table, and routes to Lambda and mocks', () => {
    const diagram = diagramFor(configs[1][1]);
    expect(diagram).toContain('VPC link v1');
    expect(diagram).toContain('"VPC endpoints<br/>ECR, Logs, S3"');
    expect(diagram).not.toContain('NAT gateway');
    expect(diagram).toContain('fargate -->|gateway endpoint| table[("DynamoDB table")]');
    expect(diagram).toContain('restApi -->|1 route| vpcLink');
    expect(diagram).toContain('restApi -->|1 route| lambda1["Lambda<br/>reports"]');
    expect(diagram).toContain('restApi -->|1 route| mockIntegration');
    expect(diagram).toContain('stage prod · 3 routes<br/>auth: iam, none');
  });

  it('shows one NAT per AZ, and endpoints next to NAT when asked for both', () => {
    const diagram = diagramFor({ network: { natGateways: 2, vpcEndpoints: true } });
    expect(diagram).toContain('NAT gateways (one per AZ)');
    expect(diagram).toContain('VPC endpoints');
  });

  it('labels an existing VPC and creates no network of its own', () => {
    const diagram = diagramFor(configs[2][1]);
    expect(diagram).toContain('existing VPC vpc-0abc0abc');
    expect(diagram).toContain('private subnets (2)');
    expect(diagram).not.toContain('NAT');
    expect(diagram).toContain('1 vCPU · 2 GB · arm64<br/>2–6 tasks, autoscaled at 60% CPU');
  });

  it('names every auth kind in use, the custom domain, WAF and X-Ray', () => {
    const diagram = diagramFor({
      api: {
        tracing: true,
        wafWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/quiz/1',
        domain: { name: 'quiz.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/1' },
        cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_x',
        routes: [
          { path: '/a', auth: 'api-key' },
          { path: '/b', auth: 'cognito' },
          { path: '/c', auth: 'iam' },
          { path: '/d' },
        ],
      },
    });
    expect(diagram).toContain('auth: api-key, cognito, iam, none<br/>quiz.example.com<br/>X-Ray · WAF');
  });
});
