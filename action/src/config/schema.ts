// The deploy config a user writes, as one zod schema: the single source of truth for the
// TypeScript type the renderer receives, the validator's checks and the shipped JSON Schema.
// Every field has a safe default, so a minimal config is name + image + port.
import { z } from 'zod';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must start with a lowercase letter and use only a-z, 0-9 and -')
  // Stack names allow 128 characters, but the name also prefixes log groups, roles and the
  // stack of each environment ("<name>-<environment>"), so keep room for those.
  .max(24, 'must be at most 24 characters (it prefixes stack, role and log group names)');

const port = z.number().int().min(1).max(65535);
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const stringMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name'), z.string());
const arn = (service: string) =>
  z.string().regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN (arn:aws:${service}:…)`);

export const platforms = ['linux/amd64', 'linux/arm64'] as const;

const image = z.strictObject({
  /** Build context, relative to the config file's directory. */
  context: z.string().min(1).default('.'),
  /** Dockerfile, relative to the config file's directory; default `<context>/Dockerfile`. */
  dockerfile: z.string().min(1).optional(),
  /** ECR repository; created when missing. Default: the config's name. */
  repository: z
    .string()
    .regex(/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'is not a valid ECR repository name')
    .max(256)
    .optional(),
  platform: z.enum(platforms).default('linux/amd64'),
  buildArgs: stringMap.default({}),
  /** Multi-stage target. */
  target: z.string().optional(),
  /** How many images the ECR lifecycle policy keeps. */
  keepImages: z.number().int().min(1).max(1000).default(30),
});

export const fargateSizes: Record<number, number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: Array.from({ length: 13 }, (_, i) => 4096 + i * 1024),
  4096: Array.from({ length: 23 }, (_, i) => 8192 + i * 1024),
  8192: Array.from({ length: 12 }, (_, i) => 16384 + i * 4096),
  16384: Array.from({ length: 12 }, (_, i) => 32768 + i * 8192),
};

const autoscaling = z
  .strictObject({
    min: z.number().int().min(0).max(1000),
    max: z.number().int().min(1).max(1000),
    cpuTarget: z.number().min(1).max(100).default(60),
  })
  .refine((a) => a.min <= a.max, { message: 'min must not be greater than max', path: ['min'] });

const service = z.strictObject({
  port,
  cpu: z.number().int().default(256),
  memory: z.number().int().default(512),
  /** Ignored when autoscaling is on: the scalable target owns the count then. */
  desiredCount: z.number().int().min(0).max(1000).default(2),
  healthCheckPath: z.string().regex(/^\/[^\s?#]*$/, 'must be a path starting with /').default('/health'),
  environment: stringMap.default({}),
  /** Environment variables taken from Secrets Manager or SSM Parameter Store ARNs. */
  secrets: z.record(z.string(), z.string().regex(/^arn:aws[a-z-]*:(secretsmanager|ssm):/, 'must be a Secrets Manager or SSM parameter ARN')).default({}),
  autoscaling: autoscaling.optional(),
  logRetentionDays: z
    .union([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]])
    .default(30),
  /** The values that decide how fast a new image rolls out (see the README's defaults table). */
  deployment: z
    .strictObject({
      deregistrationDelay: seconds(0, 3600).default(10),
      healthCheckGracePeriod: seconds(0, 7200).default(60),
      healthCheckInterval: seconds(5, 300).default(10),
      healthyThreshold: z.number().int().min(2).max(10).default(2),
      unhealthyThreshold: z.number().int().min(2).max(10).default(2),
      minHealthyPercent: z.number().int().min(0).max(100).default(100),
      maxHealthyPercent: z.number().int().min(100).max(400).default(200),
      circuitBreaker: z.boolean().default(true),
    })
    .prefault({}),
});

const storage = z
  .strictObject({
    /** One DynamoDB table (pk/sk strings), TABLE_NAME in the environment, access to it only. */
    dynamodb: z.boolean().default(false),
  })
  .prefault({});

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR block like 10.0.0.0/16');

const network = z
  .strictObject({
    cidr: cidr.default('10.40.0.0/16'),
    /** 0 = no NAT (VPC endpoints only), 1 = one shared NAT, 2 = one per AZ. */
    natGateways: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(1),
    /** Interface/gateway endpoints for ECR, S3, Logs (+ DynamoDB). Default: on when natGateways is 0. */
    vpcEndpoints: z.boolean().optional(),
    flowLogs: z.boolean().default(true),
    existing: z
      .strictObject({
        vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, 'must be a VPC id (vpc-…)'),
        vpcCidr: cidr.optional(),
        privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, 'must be a subnet id (subnet-…)')).min(2, 'needs at least two subnets in two AZs'),
      })
      .optional(),
  })
  .prefault({});

export const authKinds = ['none', 'api-key', 'iam', 'cognito'] as const;
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

const route = z.strictObject({
  /** `/quizzes/{quizId}`; `{name+}` as the last segment is greedy. */
  path: z.string(),
  methods: z.array(z.enum(httpMethods)).min(1).default(['ANY']),
  auth: z.enum(authKinds).default('none'),
  /** `service` (default), `mock`, or a Lambda function ARN. */
  target: z.union([z.literal('service'), z.literal('mock'), arn('lambda')]).default('service'),
  /** Query string parameters API Gateway requires before it forwards the request. */
  requiredQuery: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/)).default([]),
  /** Headers API Gateway requires before it forwards the request. */
  requiredHeaders: z.array(z.string().regex(/^[A-Za-z0-9-]+$/)).default([]),
});

const api = z
  .strictObject({
    stage: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1-64 letters, digits or _').default('prod'),
    vpcLink: z.enum(['v2', 'v1']).default('v2'),
    throttling: z
      .strictObject({ rateLimit: z.number().min(0).default(50), burstLimit: z.number().int().min(0).default(100) })
      .prefault({}),
    accessLogs: z.boolean().default(true),
    /** Creates the account-wide API Gateway CloudWatch role; needed once per Region for stage logs. */
    cloudWatchRole: z.boolean().default(false),
    tracing: z.boolean().default(false),
    wafWebAclArn: arn('wafv2').optional(),
    domain: z
      .strictObject({
        name: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a domain name'),
        certificateArn: arn('acm'),
        basePath: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
      })
      .optional(),
    /** Needed when any route uses `auth: cognito`. */
    cognitoUserPoolArn: arn('cognito-idp').optional(),
    /** Names of the API keys to create for `auth: api-key` routes. */
    apiKeys: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1).default(['default']),
    usagePlan: z
      .strictObject({
        quota: z.strictObject({ limit: z.number().int().min(1), period: z.enum(['DAY', 'WEEK', 'MONTH']) }).optional(),
      })
      .prefault({}),
    /** Empty: one greedy `{proxy+}` route (plus the root) to the service. */
    routes: z.array(route).default([]),
  })
  .prefault({});

const bootstrap = z
  .strictObject({
    /** `owner/name` of the GitHub repository allowed to deploy. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name'),
    branch: z.string().optional(),
    environment: z.string().optional(),
    /** Set false when the account already has the token.actions.githubusercontent.com provider. */
    createOidcProvider: z.boolean().default(true),
  })
  .optional();

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  name,
  image: image.prefault({}),
  service,
  storage,
  network,
  api,
  bootstrap,
  tags: z.record(z.string(), z.string()).default({}),
});

/** The config as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after validation, every default filled in: what the renderer receives. */
export type Config = z.output<typeof configSchema>;
export type Route = Config['api']['routes'][number];
