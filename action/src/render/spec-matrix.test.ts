// Every option of the config, rendered and checked against the CloudFormation resource
// specification: a template CloudFormation would refuse never reaches a user. A coverage test
// walks the config schema so a new option without a matrix entry fails here.
import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { loadConfig } from '../config/load.js';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { checkTemplate, INLINE_BODY_LIMIT, templateBodySizes } from '../../test-support/cfn-spec.js';
import { cfnLint, cfnLintSkipReason } from '../../test-support/cfn-lint.js';
import { nagFindings } from '../../test-support/nag-scan.js';
import { renderBootstrap } from './bootstrap.js';
import { formatTemplate, renderStack } from './index.js';

const account = '123456789012';
const SECRET = `arn:aws:secretsmanager:eu-west-1:${account}:secret:pubquiz/db-AbCdEf`;
const PARAMETER = `arn:aws:ssm:eu-west-1:${account}:parameter/pubquiz/flag`;
const LAMBDA = `arn:aws:lambda:eu-west-1:${account}:function:reports`;
const base = { name: 'pubquiz', service: { port: 8080 } } satisfies ConfigInput;

const matrix: [string, ConfigInput][] = [
  ['the five-line default', base],
  [
    'roles with a boundary of its own',
    { ...base, permissionsBoundary: 'arn:aws:iam::123456789012:policy/team/app-boundary' },
  ],
  ['roles without a boundary', { ...base, permissionsBoundary: 'none' }],
  [
    'no NAT: VPC endpoints, secrets from both stores, a v1 link',
    {
      ...base,
      service: { port: 8080, environment: { LOG_LEVEL: 'debug' }, secrets: { DB_PASSWORD: SECRET, FLAG: PARAMETER } },
      network: { natGateways: 0, cidr: '10.0.0.0/20' },
      api: { vpcLink: 'v1' },
    },
  ],
  [
    'a NAT per AZ and endpoints too, no flow logs, the largest arm64 task',
    {
      $schema: '../schema/config.schema.json',
      name: 'pubquiz',
      image: {
        context: 'app',
        dockerfile: 'app/Dockerfile.prod',
        repository: 'team/pubquiz',
        platform: 'linux/arm64',
        buildArgs: { NODE_VERSION: '24' },
        target: 'runtime',
        keepImages: 10,
      },
      service: { port: 3000, cpu: 16384, memory: 32768, desiredCount: 0 },
      network: { natGateways: 2, vpcEndpoints: true, flowLogs: false },
    },
  ],
  ['one NAT with endpoints switched off', { ...base, network: { natGateways: 1, vpcEndpoints: false } }],
  [
    'an existing VPC with three subnets, and a table',
    {
      ...base,
      network: {
        existing: {
          vpcId: 'vpc-0a1b2c3d',
          privateSubnetIds: ['subnet-0a1a1a1a', 'subnet-0b2b2b2b', 'subnet-0c3c3c3c'],
        },
      },
      storage: { dynamodb: true },
    },
  ],
  [
    'an existing VPC with two subnets',
    {
      ...base,
      network: { existing: { vpcId: 'vpc-0a1b2c3d', privateSubnetIds: ['subnet-0a1a1a1a', 'subnet-0b2b2b2b'] } },
    },
  ],
  [
    'every auth kind, method and target, required query and headers, a quota',
    {
      ...base,
      api: {
        cognitoUserPoolArn: `arn:aws:cognito-idp:eu-west-1:${account}:userpool/eu-west-1_AbCdEf`,
        apiKeys: ['quizmaster', 'scorer'],
        usagePlan: { quota: { limit: 10000, period: 'MONTH' } },
        routes: [
          { path: '/quizzes', methods: ['GET', 'POST'], auth: 'api-key', requiredHeaders: ['X-Team'] },
          { path: '/quizzes/{quizId}', methods: ['PUT', 'PATCH', 'DELETE'], auth: 'iam' },
          {
            path: '/quizzes/{quizId}/rounds/{round}',
            methods: ['HEAD', 'OPTIONS'],
            auth: 'cognito',
            requiredQuery: ['lang'],
          },
          { path: '/reports', methods: ['GET'], target: LAMBDA, auth: 'iam' },
          { path: '/ping', methods: ['GET'], target: 'mock' },
          { path: '/files/{key+}', methods: ['ANY'], auth: 'none' },
        ],
      },
    },
  ],
  [
    'only Lambda and mock routes, a daily quota',
    {
      ...base,
      api: {
        usagePlan: { quota: { limit: 100, period: 'DAY' } },
        routes: [
          { path: '/reports', target: LAMBDA, auth: 'api-key' },
          { path: '/', methods: ['GET'], target: 'mock' },
        ],
      },
    },
  ],
  [
    'a stage with X-Ray, WAF, a custom domain, the CloudWatch role and no access logs',
    {
      ...base,
      api: {
        stage: 'v1',
        throttling: { rateLimit: 10, burstLimit: 20 },
        accessLogs: false,
        cloudWatchRole: true,
        tracing: true,
        wafWebAclArn: `arn:aws:wafv2:eu-west-1:${account}:regional/webacl/pubquiz/0a1b2c3d`,
        domain: {
          name: 'quiz.example.com',
          certificateArn: `arn:aws:acm:eu-west-1:${account}:certificate/0a1b2c3d`,
          basePath: 'v1',
        },
      },
    },
  ],
  [
    'a custom domain at the root with access logs, a weekly quota',
    {
      ...base,
      api: {
        domain: { name: 'quiz.example.com', certificateArn: `arn:aws:acm:eu-west-1:${account}:certificate/0a1b2c3d` },
        cloudWatchRole: true,
        usagePlan: { quota: { limit: 700, period: 'WEEK' } },
        routes: [{ path: '/scores', methods: ['GET'], auth: 'api-key' }],
      },
    },
  ],
  [
    'autoscaling, a tuned rollout, a table without NAT, tags',
    {
      name: 'pubquiz',
      service: {
        port: 8080,
        cpu: 1024,
        memory: 2048,
        desiredCount: 3,
        healthCheckPath: '/ready',
        logRetentionDays: 365,
        autoscaling: { min: 2, max: 10, cpuTarget: 50 },
        deployment: {
          deregistrationDelay: 5,
          healthCheckGracePeriod: 120,
          healthCheckInterval: 30,
          healthyThreshold: 3,
          unhealthyThreshold: 4,
          minHealthyPercent: 50,
          maxHealthyPercent: 150,
          circuitBreaker: false,
        },
      },
      storage: { dynamodb: true },
      network: { natGateways: 0 },
      tags: { team: 'quiz', 'cost-center': '42' },
      retention: { deleteWithStack: ['pr-*', 'scratch'] },
      alarms: {
        errorRatePercent: 2.5,
        latencyP99Ms: 800,
        unhealthyTargets: 2,
        evaluationMinutes: 5,
        datapointsToAlarm: 3,
        snsTopicArn: `arn:aws:sns:eu-west-1:${account}:pubquiz-alarms`,
      },
    },
  ],
  [
    'blue/green with a bake time, alarms without rollback',
    {
      ...base,
      service: { port: 8080, deployment: { strategy: 'blue-green', bakeTimeMinutes: 10 } },
      alarms: { rollback: false },
    },
  ],
  [
    'canary, a table, no dashboard',
    {
      ...base,
      service: { port: 8080, deployment: { strategy: 'canary', canary: { percent: 5, bakeTimeMinutes: 3 } } },
      storage: { dynamodb: true },
      dashboard: false,
    },
  ],
  [
    'linear with autoscaling, no alarms',
    {
      ...base,
      service: {
        port: 8080,
        autoscaling: { min: 2, max: 4 },
        deployment: { strategy: 'linear', bakeTimeMinutes: 0, linear: { stepPercent: 12.5, stepBakeTimeMinutes: 1 } },
      },
      alarms: { enabled: false, rollback: false },
    },
  ],
];

const bootstraps: [string, NonNullable<ConfigInput['bootstrap']>][] = [
  ['main and production (the default)', { repository: 'acme/pubquiz' }],
  ['one branch', { repository: 'acme/pubquiz', branch: 'main' }],
  ['one environment, no plan role', { repository: 'acme/pubquiz', environment: 'production', planRole: false }],
  [
    'an environment on one branch, with the existing OIDC provider',
    { repository: 'acme/pubquiz', branch: 'main', environment: 'production', createOidcProvider: false },
  ],
  [
    'a list of subjects, tags included',
    {
      repository: 'acme/pubquiz',
      deployFrom: [{ branch: 'main' }, { environment: 'staging', branch: 'main' }, { subject: 'ref:refs/tags/v*' }],
    },
  ],
  [
    'every workflow, explicitly',
    { repository: 'acme/pubquiz', deployFrom: [{ subject: '*' }], trustEveryWorkflow: true },
  ],
];

describe('every config option renders a template the CloudFormation spec accepts', () => {
  it.each(matrix)('%s', (_, input) => {
    expect(checkTemplate(renderStack(configSchema.parse(input)))).toEqual([]);
  });

  it.each(matrix)('passes the AwsSolutions scan, each exception explained in the template: %s', (_, input) => {
    expect(nagFindings(renderStack(configSchema.parse(input)))).toEqual([]);
  });

  it.each(bootstraps)('bootstrap: %s', (_, bootstrap) => {
    expect(
      checkTemplate(renderBootstrap(configSchema.parse({ ...base, image: { repository: 'team/pubquiz' }, bootstrap }))),
    ).toEqual([]);
  });

  it.each(matrix)('bootstrap for it passes the AwsSolutions scan, each exception explained: %s', (_, input) => {
    const config = configSchema.parse({ ...input, bootstrap: { repository: 'acme/pubquiz' } });
    expect(nagFindings(renderBootstrap(config))).toEqual([]);
  });

  it('the sample quiz renders, bootstrap included, and the bodies it is deployed from fit the inline limit', async () => {
    const config = await loadConfig(fileURLToPath(new URL('../../../sample-api/deploy.yml', import.meta.url)));
    const template = renderStack(config);
    expect(checkTemplate(template)).toEqual([]);
    // The action deploys compact JSON, which must fit inline. The exported YAML (written for
    // reading, now with alarms, a dashboard and every nag exception's reason) is over the inline
    // limit; `render` says so and those who deploy it their own way pass an S3 bucket.
    const sizes = templateBodySizes(template);
    expect(sizes.json).toBeLessThanOrEqual(INLINE_BODY_LIMIT);
    expect(
      checkTemplate(
        renderBootstrap({
          ...config,
          bootstrap: {
            repository: 'acme/pubquiz',
            createOidcProvider: true,
            planRole: true,
            trustEveryWorkflow: false,
          },
        }),
      ),
    ).toEqual([]);
  });

  it('covers every option of the config schema, and every value of the small enumerations', () => {
    const inputs = [
      ...matrix.map(([, input]) => input),
      ...bootstraps.map(([, bootstrap]) => ({ ...base, bootstrap })),
    ];
    const parsed = inputs.map((input) => configSchema.parse(input));
    const missing: string[] = [];
    for (const option of schemaOptions(configSchema)) {
      if (!inputs.some((input) => valuesAt(input, option.path).length > 0))
        missing.push(`${option.path.join('.')} is never set`);
      const seen = new Set(parsed.flatMap((config) => valuesAt(config, option.path)).map(String));
      for (const value of option.values ?? [])
        if (!seen.has(value)) missing.push(`${option.path.join('.')} is never ${value}`);
    }
    expect(missing).toEqual([]);
  });
});

interface Option {
  path: string[];
  /** Values to see rendered at least once: the members of enumerations of up to 8 values. */
  values?: string[];
}

/** The leaves of a zod schema: what a user can set, each with its finite values. */
function schemaOptions(schema: z.core.$ZodType, path: string[] = []): Option[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const small = (values: unknown[]) => (values.length <= 8 ? values.map(String) : undefined);
  switch (def.type) {
    case 'object':
      return Object.entries(def.shape as Record<string, z.core.$ZodType>).flatMap(([key, child]) =>
        schemaOptions(child, [...path, key]),
      );
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
      return schemaOptions(def.innerType as z.core.$ZodType, path);
    case 'pipe':
      return schemaOptions(def.in as z.core.$ZodType, path);
    case 'array':
      return schemaOptions(def.element as z.core.$ZodType, path);
    case 'enum':
      return [{ path, values: small(Object.values(def.entries as object)) }];
    case 'literal':
      return [{ path, values: small(def.values as unknown[]) }];
    case 'boolean':
      return [{ path, values: ['true', 'false'] }];
    case 'union': {
      const literals = (def.options as z.core.$ZodType[]).flatMap((o) =>
        o._zod.def.type === 'literal' ? (o._zod.def as unknown as { values: unknown[] }).values : [],
      );
      return [{ path, values: small(literals) }];
    }
    default:
      return [{ path }];
  }
}

/** The values at a path, through arrays; a record counts when it has entries. */
function valuesAt(value: unknown, path: string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) {
    if (value === undefined) return [];
    return value !== null && typeof value === 'object' && Object.keys(value).length === 0 ? [] : [value];
  }
  if (value === null || typeof value !== 'object') return [];
  return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
}

const lintSkip = cfnLintSkipReason();
(lintSkip ? describe.skip : describe)(`cfn-lint${lintSkip ? ` (skipped: ${lintSkip})` : ''}`, () => {
  it('finds nothing in any matrix template, app or bootstrap', async () => {
    const templates = [
      ...matrix.map(([name, input]) => ({ name, template: renderStack(configSchema.parse(input)) })),
      ...bootstraps.map(([name, bootstrap]) => ({
        name: `bootstrap: ${name}`,
        template: renderBootstrap(configSchema.parse({ ...base, image: { repository: 'team/pubquiz' }, bootstrap })),
      })),
    ];
    const findings = await cfnLint(
      templates.map(({ name, template }) => ({ name, body: formatTemplate(template, 'yaml') })),
    );
    expect(findings).toEqual([]);
  });
});
