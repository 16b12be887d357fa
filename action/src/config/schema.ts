// The deploy config a user writes, as one zod schema: the single source of truth for the
// TypeScript type the renderer receives, the validator's checks and the shipped JSON Schema
// (descriptions here are what editors show). Every field has a safe default, so a minimal config
// is name + image + port. Checks spanning several fields live in checks.ts and are wired in here.
import { z } from 'zod';
import {
  apiKeyIdFindings,
  cidrFindings,
  duplicateFindings,
  fargateSizeFindings,
  fargateSizes,
  type Finding,
  pathFindings,
  routeTableFindings,
} from './checks.js';
import { untrustedSubjectFindings } from './bootstrap-subjects.js';
import { alarms, dashboard, strategyFields, strategyFindings } from './rollout.js';

export { fargateSizes } from './checks.js';

/** Adds what a checks.ts function found as issues, at paths relative to the checked value. */
const addFindings = (ctx: z.RefinementCtx, findings: Finding[]) => {
  for (const { path, message } of findings) ctx.addIssue({ code: 'custom', path, message });
};
const report =
  <T>(check: (value: T) => Finding[]) =>
  (value: T, ctx: z.RefinementCtx) =>
    addFindings(ctx, check(value));

/**
 * Runs a cross-field check as long as the fields it reads are valid (patterns like
 * ['routes', '*', 'auth']), even when other fields are not, so every problem shows at once.
 */
const whenValid = (...fields: string[][]): z.core.$ZodSuperRefineParams => ({
  when: ({ value, issues }) =>
    typeof value === 'object' &&
    value !== null &&
    !issues.some(({ code, path = [] }) =>
      path.length === 0
        ? code !== 'unrecognized_keys' // the value itself is wrong; an unknown key beside the fields is not
        : fields.some((field) =>
            field.every((step, i) => i >= path.length || step === '*' || step === String(path[i])),
          ),
    ),
});

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must start with a lowercase letter and use only a-z, 0-9 and -')
  // Stack names allow 128 characters, but the name also prefixes log groups, roles and the
  // stack of each environment ("<name>-<environment>"), so keep room for those.
  .max(24, 'must be at most 24 characters (it prefixes stack, role and log group names)')
  .describe('Prefix for the stack, its resources and their tags: a-z, 0-9 and -, at most 24 characters.');

const port = z.number().int().min(1).max(65535);
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);
const variableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name (letters, digits, _)');
const stringMap = z.record(variableName, z.string());
const arn = (service: string, resource = '') =>
  z
    .string()
    .regex(
      new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]*:\\d{12}:${resource}`),
      `must be an ARN like arn:aws:${service}:<region>:<account>:${resource}…`,
    );

export const platforms = ['linux/amd64', 'linux/arm64'] as const;

const image = z
  .strictObject({
    context: z.string().min(1).default('.').describe('Docker build context, relative to the config file.'),
    dockerfile: z
      .string()
      .min(1)
      .optional()
      .describe('Dockerfile, relative to the config file. Default: <context>/Dockerfile.'),
    repository: z
      .string()
      .min(2)
      .max(256)
      .regex(
        /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        'is not a valid ECR repository name (lowercase a-z, 0-9, . _ - and / between parts)',
      )
      .optional()
      .describe('ECR repository, created when missing (scan on push, immutable tags). Default: the config name.'),
    platform: z
      .enum(platforms)
      .default('linux/amd64')
      .describe('CPU architecture of the image and of the Fargate tasks.'),
    buildArgs: stringMap.default({}).describe('Docker build arguments.'),
    target: z.string().optional().describe('Stage of a multi-stage Dockerfile to build.'),
    keepImages: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(30)
      .describe(
        'How many images no stack runs (pull request and superseded builds) the ECR lifecycle policy keeps; an image a stack runs is never expired.',
      ),
  })
  .describe('The container image the action builds and pushes to ECR.');

const cpuSizes = Object.keys(fargateSizes).map(Number);

const autoscaling = z
  .strictObject({
    min: z
      .number()
      .int()
      .min(1, 'must be at least 1: CPU target tracking cannot start a task from zero')
      .max(1000)
      .describe('Fewest tasks.'),
    max: z.number().int().min(1).max(1000).describe('Most tasks.'),
    cpuTarget: z.number().min(1).max(100).default(60).describe('Average CPU % the scaling policy aims for.'),
  })
  .superRefine((a, ctx) => {
    if (a.max < a.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `${a.max} is less than min (${a.min})` });
  })
  .describe('Target-tracking autoscaling on CPU. The scalable target owns the task count then.');

const service = z
  .strictObject({
    port: port.describe('Port the container listens on; the load balancer forwards to it.'),
    cpu: z
      .number()
      .int()
      .min(256)
      .max(16384)
      .default(256)
      .meta({ enum: cpuSizes })
      .describe('Fargate CPU units: 256 (.25 vCPU), 512, 1024, 2048, 4096, 8192 or 16384.'),
    memory: z
      .number()
      .int()
      .min(512)
      .max(122880)
      .default(512)
      .describe(
        'Fargate memory in MiB, valid for the cpu: 256 → 512-2048, 512 → 1024-4096, 1024 → 2048-8192, 2048 → 4096-16384, 4096 → 8192-30720 (steps of 1024), 8192 → 16384-61440, 16384 → 32768-122880.',
      ),
    desiredCount: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        'Tasks to run. Default 2. With autoscaling the scalable target owns the count (autoscaling.min to max) and this is not deployed: a fixed count would reset it on every deploy.',
      ),
    healthCheckPath: z
      .string()
      .max(1024)
      .regex(/^\/[^\s?#]*$/, 'must be a path starting with / (no spaces, query or fragment)')
      .default('/health')
      .describe('Path the load balancer health check requests; answer 200 when the task is ready.'),
    environment: stringMap.default({}).describe('Environment variables of the container.'),
    secrets: z
      .record(
        variableName,
        z.string().regex(/^arn:aws[a-z-]*:(secretsmanager|ssm):/, 'must be a Secrets Manager or SSM parameter ARN'),
      )
      .default({})
      .describe('Environment variables read from Secrets Manager secret or SSM parameter ARNs when a task starts.'),
    autoscaling: autoscaling.optional(),
    logRetentionDays: z
      .literal([
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
      ])
      .default(30)
      .describe('Days CloudWatch keeps the container logs.'),
    deployment: z
      .strictObject({
        deregistrationDelay: seconds(0, 3600)
          .default(10)
          .describe('Seconds an old task keeps draining connections (AWS default 300).'),
        healthCheckGracePeriod: seconds(0, 7200)
          .default(60)
          .describe('Seconds a new task may fail health checks while it starts.'),
        healthCheckInterval: seconds(5, 300).default(10).describe('Seconds between load balancer health checks.'),
        healthyThreshold: z
          .number()
          .int()
          .min(2)
          .max(10)
          .default(2)
          .describe('Passed checks before a task gets traffic.'),
        unhealthyThreshold: z
          .number()
          .int()
          .min(2)
          .max(10)
          .default(2)
          .describe('Failed checks before a task is replaced.'),
        minHealthyPercent: z
          .number()
          .int()
          .min(0)
          .max(100)
          .default(100)
          .describe('Running tasks kept during a deployment, as % of the count.'),
        maxHealthyPercent: z
          .number()
          .int()
          .min(100)
          .max(400)
          .default(200)
          .describe('Tasks allowed during a deployment, as % of the count.'),
        circuitBreaker: z
          .boolean()
          .default(true)
          .describe('Stop a failing deployment and roll back to the last working one.'),
        ...strategyFields,
      })
      .prefault({})
      .describe('The values that decide how fast a new image rolls out.'),
  })
  .superRefine((s, ctx) => addFindings(ctx, fargateSizeFindings(s.cpu, s.memory)), whenValid(['cpu'], ['memory']))
  .superRefine(
    (s, ctx) => {
      const scaling = s.autoscaling;
      if (scaling && s.desiredCount !== undefined && (s.desiredCount < scaling.min || s.desiredCount > scaling.max)) {
        ctx.addIssue({
          code: 'custom',
          path: ['desiredCount'],
          message: `${s.desiredCount} is outside autoscaling.min..max (${scaling.min}..${scaling.max}): leave it out or pick a count in that range`,
        });
      }
    },
    whenValid(['desiredCount'], ['autoscaling']),
  )
  .superRefine(
    (s, ctx) => {
      for (const key of Object.keys(s.secrets)) {
        if (key in s.environment)
          ctx.addIssue({
            code: 'custom',
            path: ['secrets', key],
            message: `${key} is also set in service.environment: define it in one place`,
          });
      }
    },
    whenValid(['secrets'], ['environment']),
  )
  .superRefine(
    (s, ctx) =>
      addFindings(
        ctx,
        strategyFindings(s.deployment, s.desiredCount ?? s.autoscaling?.min ?? 2).map((f) => ({
          ...f,
          path: ['deployment', ...f.path],
        })),
      ),
    whenValid(['deployment'], ['desiredCount'], ['autoscaling']),
  )
  .transform((s) => ({ ...s, desiredCount: s.desiredCount ?? s.autoscaling?.min ?? 2 }))
  .describe('The Fargate service: container port, size, count, health check and rollout.');

const storage = z
  .strictObject({
    dynamodb: z
      .boolean()
      .default(false)
      .describe(
        'One DynamoDB table (pk/sk strings) named in TABLE_NAME, with a gateway endpoint and task access to that table only.',
      ),
  })
  .prefault({})
  .describe('Storage the stack creates for the service.');

const cidr = (minPrefix: number, maxPrefix: number, why: string) =>
  z.string().superRefine(report((value: string) => cidrFindings(value, minPrefix, maxPrefix, why)));

const network = z
  .strictObject({
    cidr: cidr(
      16,
      24,
      ': the VPC is cut into four subnets (two public, two private, each a quarter), so use /16 to /24',
    )
      .default('10.40.0.0/16')
      .describe('IPv4 block of the VPC, /16 to /24; it is cut into four equal subnets (two public, two private).'),
    natGateways: z
      .literal([0, 1, 2])
      .optional()
      .describe(
        '0 = no NAT (the tasks reach AWS through VPC endpoints), 1 = one shared NAT gateway (default), 2 = one per AZ.',
      ),
    vpcEndpoints: z
      .boolean()
      .optional()
      .describe('Interface and gateway endpoints for ECR, S3, Logs (and DynamoDB). Default: on when natGateways is 0.'),
    flowLogs: z.boolean().default(true).describe('VPC flow logs to a CloudWatch log group.'),
    existing: z
      .strictObject({
        vpcId: z
          .string()
          .regex(/^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, 'must be a VPC id: vpc- and 8 or 17 hex digits')
          .describe('The VPC to deploy into.'),
        privateSubnetIds: z
          .array(
            z
              .string()
              .regex(/^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/, 'must be a subnet id: subnet- and 8 or 17 hex digits'),
          )
          .min(2, 'needs at least two subnets in two AZs')
          .superRefine(report((ids: string[]) => duplicateFindings(ids, 'subnet')))
          .describe(
            'Private subnets in two or more AZs for the tasks, the load balancer and the VPC link; they need their own way out (NAT or endpoints).',
          ),
      })
      .optional()
      .describe(
        'Deploy into a VPC you already have. The stack then creates no network at all: leave out natGateways and vpcEndpoints.',
      ),
  })
  .superRefine(
    (n, ctx) => {
      if (!n.existing) return;
      for (const key of ['natGateways', 'vpcEndpoints'] as const) {
        if (n[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `cannot be set with network.existing: the stack creates no network in an existing VPC (its own NAT or endpoints provide the way out)`,
          });
        }
      }
    },
    // Only whether an existing VPC is given matters here, not whether its ids are right: both
    // problems are reported in the same run.
    whenValid(['natGateways'], ['vpcEndpoints']),
  )
  .superRefine(
    (n, ctx) => {
      if (!n.existing && n.natGateways === 0 && n.vpcEndpoints === false) {
        ctx.addIssue({
          code: 'custom',
          path: ['vpcEndpoints'],
          message:
            'cannot be false with natGateways: 0: the tasks would have no way to pull their image or send logs (keep the endpoints or add a NAT gateway)',
        });
      }
    },
    whenValid(['existing'], ['natGateways'], ['vpcEndpoints']),
  )
  .transform((n) => ({
    ...n,
    natGateways: n.existing ? 0 : (n.natGateways ?? 1),
    vpcEndpoints: n.existing ? false : n.vpcEndpoints,
  }))
  .prefault({})
  .describe('The VPC: created (two AZs, public and private subnets) or an existing one.');

export const authKinds = ['none', 'api-key', 'iam', 'cognito'] as const;
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

const lambdaArn = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;

const pathSegment = String.raw`([A-Za-z0-9._-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\})`;
const targetRule =
  'must be "service", "mock" or a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)';

const route = z.strictObject({
  path: z
    .string()
    .superRefine(report(pathFindings))
    // For editors only: the segment rules as one pattern; pathFindings gives the precise message.
    .meta({ pattern: `^/(${pathSegment}(/${pathSegment})*)?$` })
    .describe('Resource path: /quizzes/{quizId}; a last segment {name+} is greedy. No trailing /.'),
  methods: z.array(z.enum(httpMethods)).min(1).default(['ANY']).describe('HTTP methods; ANY covers all of them.'),
  auth: z
    .enum(authKinds)
    .default('none')
    .describe('none, api-key (usage plan and keys), iam (SigV4) or cognito (needs api.cognitoUserPoolArn).'),
  target: z
    .union([z.literal('service'), z.literal('mock'), z.string().regex(lambdaArn, targetRule)], { error: targetRule })
    .default('service')
    .describe('Where the route goes: service (the Fargate service, default), mock, or a Lambda function ARN.'),
  requiredQuery: z
    .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a query parameter name (A-Z a-z 0-9 _ . -)'))
    .default([])
    .describe('Query string parameters API Gateway requires before it forwards the request.'),
  requiredHeaders: z
    .array(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name (A-Z a-z 0-9 -)'))
    .default([])
    .describe('Headers API Gateway requires before it forwards the request.'),
});

const api = z
  .strictObject({
    stage: z
      .string()
      .regex(/^[A-Za-z0-9_]{1,64}$/, 'must be 1-64 letters, digits or _')
      .default('prod')
      .describe('Stage name; the first segment of the API URL.'),
    vpcLink: z
      .enum(['v2', 'v1'])
      .default('v2')
      .describe('v2 (recommended, targets the load balancer) or v1 (legacy, NLB only, slow to create).'),
    throttling: z
      .strictObject({
        rateLimit: z.number().min(0).max(1_000_000).default(50).describe('Steady requests per second for the stage.'),
        burstLimit: z.number().int().min(0).max(1_000_000).default(100).describe('Requests allowed in a burst.'),
      })
      .prefault({})
      .describe('Stage-wide throttling.'),
    accessLogs: z.boolean().default(true).describe('Stage access logs to a CloudWatch log group.'),
    cloudWatchRole: z
      .boolean()
      .default(false)
      .describe('Create the account-wide API Gateway CloudWatch role (needed once per Region for stage logs).'),
    tracing: z.boolean().default(false).describe('X-Ray tracing on the stage.'),
    // A CloudFront (global/webacl/) ACL cannot be associated with a regional stage.
    wafWebAclArn: arn('wafv2', 'regional/webacl/')
      .optional()
      .describe('Regional WAF web ACL to associate with the stage.'),
    domain: z
      .strictObject({
        name: z
          .string()
          .max(253, 'must be at most 253 characters')
          .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a lowercase domain name like api.example.com')
          .describe('Domain name, like api.example.com.'),
        certificateArn: arn('acm', 'certificate/').describe("ACM certificate for the name, in the stack's Region."),
        basePath: z
          .string()
          .regex(/^[A-Za-z0-9._-]*$/, 'must be empty or one path segment (A-Z a-z 0-9 . _ -)')
          .default('')
          .describe('Path under the domain that maps to the stage; empty = the root.'),
      })
      .optional()
      .describe('Custom domain name for the API.'),
    cognitoUserPoolArn: arn('cognito-idp', 'userpool/')
      .optional()
      .describe('User pool of the Cognito authorizer; needed when a route uses auth: cognito.'),
    apiKeys: z
      .array(
        z
          .string()
          .regex(/^[a-z][a-z0-9-]*$/, 'must start with a-z and use a-z, 0-9 and -')
          .max(64, 'must be at most 64 characters'),
      )
      .min(1)
      .default(['default'])
      .superRefine(report((keys: string[]) => [...duplicateFindings(keys, 'API key'), ...apiKeyIdFindings(keys)]))
      .describe('Names of the API keys created for auth: api-key routes.'),
    usagePlan: z
      .strictObject({
        quota: z
          .strictObject({
            limit: z
              .number()
              .int()
              .min(1)
              .max(2 ** 31 - 1),
            period: z.enum(['DAY', 'WEEK', 'MONTH']),
          })
          .optional()
          .describe('Requests each key may make per period.'),
      })
      .prefault({})
      .describe('Usage plan of the API keys.'),
    routes: z
      .array(route)
      .default([])
      .superRefine(report(routeTableFindings), whenValid())
      .describe("The API's routes. Empty: one greedy {proxy+} route (plus the root) to the service."),
  })
  .superRefine(
    (a, ctx) => {
      if (a.cognitoUserPoolArn) return;
      a.routes.forEach((r, i) => {
        if (r.auth === 'cognito')
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'auth'],
            message: 'cognito needs api.cognitoUserPoolArn (the user pool the authorizer checks tokens against)',
          });
      });
    },
    whenValid(['routes', '*', 'auth'], ['cognitoUserPoolArn']),
  )
  .prefault({})
  .describe('The API Gateway REST API in front of the service.');

const branchName = z
  .string()
  .max(255)
  .regex(/^[^\s*?[~^:\\]+$/, 'must be a branch name');
const environmentName = z
  .string()
  .max(255)
  .regex(/^[^\s*?,;'"`]+$/, 'must be a GitHub environment name');

const deploySubject = z
  .strictObject({
    branch: branchName
      .optional()
      .describe('Workflows on this branch (with environment: jobs of that environment on it).'),
    environment: environmentName.optional().describe('Jobs in this GitHub environment.'),
    subject: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9_.:/*?@#+=-]+$/, 'must be the part of the sub claim after repo:<owner>/<name>:')
      .optional()
      .describe(
        'Any other sub claim, after "repo:<owner>/<name>:" (for example ref:refs/tags/v*); * and ? are wildcards.',
      ),
  })
  .superRefine((s, ctx) => {
    if (!s.branch && !s.environment && !s.subject)
      ctx.addIssue({ code: 'custom', path: [], message: 'needs a branch, an environment or a subject' });
    if (s.subject && (s.branch || s.environment))
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: 'goes alone: a subject already names the branch or environment',
      });
  });

const bootstrap = z
  .strictObject({
    repository: z
      .string()
      .max(140)
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/name')
      .describe('owner/name of the GitHub repository allowed to deploy.'),
    branch: branchName
      .optional()
      .describe('Shorthand for deployFrom: [{ branch }] (with environment: both must match).'),
    environment: environmentName
      .optional()
      .describe('Shorthand for deployFrom: [{ environment }] (with branch: both must match).'),
    deployFrom: z
      .array(deploySubject)
      .min(1)
      .max(20)
      .optional()
      .describe(
        'Who may assume the deploy role, one entry per kind of job. Default: pushes to main and jobs in the production environment.',
      ),
    planRole: z
      .boolean()
      .default(true)
      .describe('Create the plan role that pull request jobs assume: change sets only, never deploy.'),
    trustEveryWorkflow: z
      .boolean()
      .default(false)
      .describe(
        'Accept a deployFrom subject that matches every branch or pull request. Any contributor could then deploy.',
      ),
    createOidcProvider: z
      .boolean()
      .default(true)
      .describe('Set false when the account already has the token.actions.githubusercontent.com provider.'),
  })
  .superRefine((b, ctx) => {
    if (b.deployFrom && (b.branch || b.environment))
      ctx.addIssue({
        code: 'custom',
        path: ['deployFrom'],
        message: 'cannot be used with bootstrap.branch or bootstrap.environment: list them as deployFrom entries',
      });
    else addFindings(ctx, untrustedSubjectFindings(b));
  })
  .optional()
  .describe(
    'The once-per-account bootstrap template (render --bootstrap): GitHub OIDC provider, permissions boundary, deploy, plan and execution roles.',
  );

const permissionsBoundary = z
  .union([z.literal('none'), arn('iam', 'policy/')])
  .optional()
  .describe(
    "Permissions boundary of every role the stack creates. Default: the bootstrap's (policy/private-fargate-api/<name>-boundary); none: no boundary.",
  );

const retention = z
  .strictObject({
    deleteWithStack: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9*-]{1,32}$/,
            'must be an environment name (1-32 letters, digits or -) or a pattern where * matches any characters, like pr-*',
          ),
      )
      .default([])
      .superRefine(report((patterns: string[]) => duplicateFindings(patterns, 'environment pattern')))
      .describe(
        'Environments (the environment input; * matches any characters, like pr-*) whose table and log groups are deleted with their stack, for previews. Every other stack keeps them when it is deleted or they are replaced.',
      ),
  })
  .prefault({})
  .describe('What survives a stack delete: by default the DynamoDB table and the log groups are kept.');

const tags = z
  .record(
    z
      .string()
      .min(1)
      .max(128, 'must be at most 128 characters')
      .regex(/^(?![Aa][Ww][Ss]:)/, 'must not start with aws: (reserved by AWS)'),
    z.string().max(256, 'must be at most 256 characters'),
  )
  .default({})
  .superRefine((t, ctx) => {
    const count = Object.keys(t).length;
    if (count > 45)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `has ${count} tags: AWS allows 50 per resource and the stack adds its own, so use at most 45`,
      });
  })
  .describe('Tags on the stack and every resource that takes them.');

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    name,
    image: image.prefault({}),
    service,
    storage,
    network,
    api,
    bootstrap,
    permissionsBoundary,
    alarms,
    dashboard,
    retention,
    tags,
  })
  .superRefine(
    (c, ctx) => {
      if (!c.storage.dynamodb) return;
      for (const section of ['environment', 'secrets'] as const) {
        if ('TABLE_NAME' in c.service[section]) {
          ctx.addIssue({
            code: 'custom',
            path: ['service', section, 'TABLE_NAME'],
            message: 'is set by storage.dynamodb to the name of the table it creates: use another name',
          });
        }
      }
    },
    whenValid(['service'], ['storage']),
  )
  .meta({
    title: 'private-fargate-api config',
    description: 'A private Fargate service behind an internal NLB, a VPC link and an API Gateway REST API.',
  });

/** The config as written (defaults optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** The config after validation, every default filled in: what the renderer receives. */
export type Config = z.output<typeof configSchema>;
export type Route = Config['api']['routes'][number];
