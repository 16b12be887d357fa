// Configs for the renderer's tests and bench, validated by the real schema so every default is
// filled exactly as it is for a user.
import { configSchema, type Config, type ConfigInput } from '../src/config/schema.js';
import type { Resource, Template, Value } from '../src/render/template.js';

/** The five-line config a user starts with. */
export const minimalInput: ConfigInput = { name: 'pubquiz', service: { port: 8080 } };

/** The pub-quiz sample: storage, autoscaling, mixed auth and targets. */
export const sampleInput: ConfigInput = {
  name: 'pubquiz',
  image: { context: 'sample-api' },
  service: { port: 8080, environment: { NODE_ENV: 'production' }, autoscaling: { min: 2, max: 6, cpuTarget: 60 } },
  storage: { dynamodb: true },
  api: {
    routes: [
      { path: '/quizzes', methods: ['GET'] },
      { path: '/quizzes', methods: ['POST'], auth: 'api-key' },
      { path: '/quizzes/{quizId}', methods: ['GET'] },
      { path: '/quizzes/{quizId}/teams', methods: ['POST'] },
      { path: '/quizzes/{quizId}/rounds/{round}/answers', methods: ['PUT'], requiredHeaders: ['X-Team-Token'] },
      {
        path: '/reports',
        methods: ['GET'],
        auth: 'iam',
        target: 'arn:aws:lambda:eu-west-1:123456789012:function:reports',
      },
      { path: '/status', methods: ['GET'], target: 'mock' },
    ],
  },
};

/** Every option turned on at once (with a v1 VPC link and a NAT per AZ plus endpoints). */
export const everythingInput: ConfigInput = {
  name: 'kitchen-sink',
  image: { platform: 'linux/arm64', repository: 'team/kitchen-sink' },
  service: {
    port: 3000,
    cpu: 1024,
    memory: 2048,
    environment: { LOG_LEVEL: 'debug' },
    secrets: {
      DB_PASSWORD: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
      FEATURE_FLAGS: 'arn:aws:ssm:eu-west-1:123456789012:parameter/flags',
    },
    autoscaling: { min: 1, max: 10, cpuTarget: 50 },
  },
  storage: { dynamodb: true },
  network: { cidr: '10.8.0.0/20', natGateways: 2, vpcEndpoints: true, flowLogs: true },
  api: {
    stage: 'live',
    vpcLink: 'v1',
    cloudWatchRole: true,
    tracing: true,
    wafWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
    domain: {
      name: 'api.example.com',
      certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      basePath: 'v1',
    },
    cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
    apiKeys: ['partner', 'mobile'],
    usagePlan: { quota: { limit: 10000, period: 'MONTH' } },
    routes: [
      { path: '/', methods: ['GET'], target: 'mock' },
      { path: '/items', methods: ['GET', 'POST'], auth: 'api-key', requiredQuery: ['page'] },
      {
        path: '/items/{itemId}',
        methods: ['GET', 'PUT', 'DELETE'],
        auth: 'cognito',
        requiredHeaders: ['X-Request-Id'],
      },
      { path: '/admin/{proxy+}', methods: ['ANY'], auth: 'iam' },
      { path: '/reports', methods: ['GET'], target: 'arn:aws:lambda:eu-west-1:123456789012:function:reports' },
    ],
  },
  tags: { team: 'platform', 'cost-center': '42' },
};

/** `input` merged one level deep with `overrides` (sections are replaced key by key), then validated. */
export function configOf(input: ConfigInput, overrides: Partial<Record<keyof ConfigInput, unknown>> = {}): Config {
  const merged: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(overrides)) {
    const base = merged[key];
    merged[key] = isRecord(base) && isRecord(value) ? { ...base, ...value } : value;
  }
  return configSchema.parse(merged);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An API with `count` routes: one route per method on `count / 4` paths, two levels deep with a
 * path parameter, some behind an API key. (CloudFormation's 500-resource limit caps how many
 * distinct paths one stack can hold: each path is one resource and each method another.)
 */
export function manyRoutesInput(count: number): ConfigInput {
  const methods = ['GET', 'POST', 'PUT', 'DELETE'] as const;
  const routes = Array.from({ length: count }, (_, i) => {
    const path = Math.floor(i / methods.length);
    return {
      path: `/area${path % 10}/{id}/items${path}`,
      methods: [methods[i % methods.length]],
      auth: i % 7 === 0 ? ('api-key' as const) : ('none' as const),
    };
  });
  return { ...sampleInput, api: { routes } };
}

/** The resources of one type, by logical id. */
export function ofType(template: Template, type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, r]) => r.Type === type));
}

/** The one resource of a type; fails when there are none or several. */
export function single(template: Template, type: string): Resource & { Properties: Record<string, Value> } {
  const found = Object.values(ofType(template, type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Resource & { Properties: Record<string, Value> };
}
