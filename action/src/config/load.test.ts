import { describe, expect, it, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from './load.js';
import { removeScratchDirs, scratchDir } from '../../test-support/scratch.js';

afterAll(removeScratchDirs);

const minimal = `name: pubquiz
image:
  context: sample-api
service:
  port: 8080
`;

/** The problems parseConfig reports for `yaml`, as `line:column path: message` strings. */
function problemsOf(yaml: string): string[] {
  try {
    parseConfig(yaml, 'deploy.yml');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.line ?? '-'}:${p.column ?? '-'} ${p.path}: ${p.message}`);
  }
  throw new Error('the config was accepted');
}

/** The minimal config with `extra` appended (top-level sections). */
const withSections = (extra: string) => minimal + extra;
/** The minimal config with lines added to its service section. */
const withService = (lines: string) => minimal + lines.replace(/^/gm, '  ');

describe('parseConfig accepts', () => {
  it('the five-line minimal config, filling every default', () => {
    const config = parseConfig(minimal, 'deploy.yml');
    expect(config.service).toMatchObject({ port: 8080, cpu: 256, memory: 512, desiredCount: 2 });
    expect(config.network).toMatchObject({ cidr: '10.40.0.0/16', natGateways: 1 });
    expect(config.api).toMatchObject({ vpcLink: 'v2', stage: 'prod', routes: [] });
  });

  it('the design sketch, with paths quoted where a flow map holds braces', () => {
    const config = parseConfig(
      `# yaml-language-server: $schema=../schema/config.schema.json
name: pubquiz
image:
  context: sample-api
  dockerfile: sample-api/Dockerfile
  repository: pubquiz
service:
  port: 8080
  cpu: 256
  memory: 512
  desiredCount: 2
  healthCheckPath: /health
  environment:
    NODE_ENV: production
  autoscaling: { min: 2, max: 6, cpuTarget: 60 }
storage:
  dynamodb: true
network:
  cidr: 10.40.0.0/16
  natGateways: 1
api:
  stage: prod
  vpcLink: v2
  throttling: { rateLimit: 50, burstLimit: 100 }
  routes:
    - { path: /quizzes, methods: [GET] }
    - { path: /quizzes, methods: [POST], auth: api-key }
    - { path: "/quizzes/{quizId}/teams", methods: [POST] }
    - { path: "/quizzes/{quizId}/rounds/{round}/answers", methods: [PUT] }
    - { path: /reports, methods: [GET], target: "arn:aws:lambda:eu-west-1:123456789012:function:reports" }
`,
      'deploy.yml',
    );
    expect(config.api.routes).toHaveLength(5);
    expect(config.storage.dynamodb).toBe(true);
  });

  it('a first count from autoscaling.min when desiredCount is left out', () => {
    expect(parseConfig(withService('autoscaling: { min: 3, max: 6 }\n'), 'deploy.yml').service.desiredCount).toBe(3);
  });

  it('an existing VPC, creating no NAT gateway or endpoints', () => {
    const config = parseConfig(
      withSections(
        'network:\n  existing: { vpcId: vpc-0abc0abc, privateSubnetIds: [subnet-0a0a0a0a, subnet-0b0b0b0b] }\n',
      ),
      'deploy.yml',
    );
    expect(config.network).toMatchObject({ natGateways: 0, vpcEndpoints: false });
  });

  it('routes that share a path with different methods, and the same parameter name at one position', () => {
    const config = parseConfig(
      withSections(
        'api:\n  routes:\n    - { path: /quizzes, methods: [GET] }\n    - { path: /quizzes, methods: [POST] }\n    - path: /quizzes/{id}\n    - path: /quizzes/{id}/teams\n',
      ),
      'deploy.yml',
    );
    expect(config.api.routes.map((r) => r.path)).toEqual([
      '/quizzes',
      '/quizzes',
      '/quizzes/{id}',
      '/quizzes/{id}/teams',
    ]);
  });
});

describe('parseConfig rejects', () => {
  it.each([
    [
      'a misspelt key, suggesting the right one',
      withService('desiredcount: 3\n'),
      '6:3 service.desiredcount: unknown key: did you mean desiredCount?',
    ],
    [
      'an unknown key with no close match, listing the allowed ones',
      withSections('storage:\n  redis: true\n'),
      '7:3 storage.redis: unknown key: allowed here are dynamodb',
    ],
    [
      'a VPC CIDR for the tasks, which would let the whole VPC skip API Gateway',
      withSections(
        'network:\n  existing:\n    vpcId: vpc-0abc0abc\n    vpcCidr: 10.0.0.0/16\n    privateSubnetIds: [subnet-0a0a0a0a, subnet-0b0b0b0b]\n',
      ),
      "9:5 network.existing.vpcCidr: is no longer used: the tasks admit only the load balancer's security group, never a CIDR (anything else in the VPC would skip API Gateway's auth); remove it",
    ],
    [
      'an environment pattern with characters an environment cannot have',
      withSections("retention:\n  deleteWithStack: ['pr-*', 'pr_*']\n"),
      '7:29 retention.deleteWithStack[1]: must be an environment name (1-32 letters, digits or -) or a pattern where * matches any characters, like pr-*',
    ],
    [
      'an invalid Fargate cpu/memory pair, listing the valid memories',
      withService('cpu: 256\nmemory: 4096\n'),
      '7:11 service.memory: 4096 MiB is not valid with cpu 256: use one of 512, 1024, 2048',
    ],
    [
      'a cpu Fargate does not offer',
      withService('cpu: 300\n'),
      '6:8 service.cpu: 300 is not a Fargate cpu size: use one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    ],
    [
      'a subnet id AWS would never issue (CloudFormation refuses it only at deploy time)',
      withSections('network:\n  existing: { vpcId: vpc-0abc0abc, privateSubnetIds: [subnet-0a0a0a0a, subnet-0b] }\n'),
      '7:72 network.existing.privateSubnetIds[1]: must be a subnet id: subnet- and 8 or 17 hex digits',
    ],
    [
      'a port out of range',
      'name: pubquiz\nservice:\n  port: 70000\n',
      '3:9 service.port: must be at most 65535, not 70000',
    ],
    [
      'a missing port, at the section that lacks it',
      'name: pubquiz\nservice:\n  cpu: 256\n',
      '2:1 service.port: is required (a number)',
    ],
    [
      'a quoted number',
      withService('cpu: "512"\nmemory: 1024\n'),
      '6:8 service.cpu: must be a number, not the string "512": remove the quotes',
    ],
    [
      'a name too long for AWS limits',
      minimal.replace('pubquiz', 'the-pub-quiz-of-the-century'),
      '1:7 name: must be at most 24 characters (it prefixes stack, role and log group names)',
    ],
    [
      'a name with capitals',
      minimal.replace('pubquiz', 'PubQuiz'),
      '1:7 name: must start with a lowercase letter and use only a-z, 0-9 and -',
    ],
    [
      'a CIDR with an octet over 255',
      withSections('network:\n  cidr: 10.300.0.0/16\n'),
      '7:9 network.cidr: "10.300.0.0/16" is not an IPv4 CIDR block: use four octets 0-255 and a prefix, like 10.40.0.0/16',
    ],
    [
      'a CIDR too small for four subnets',
      withSections('network:\n  cidr: 10.40.0.0/26\n'),
      '7:9 network.cidr: /26 is outside /16 to /24: the VPC is cut into four subnets (two public, two private, each a quarter), so use /16 to /24',
    ],
    [
      'a CIDR with host bits set',
      withSections('network:\n  cidr: 10.40.1.0/16\n'),
      '7:9 network.cidr: "10.40.1.0/16" has host bits set: the block starts at 10.40.0.0/16',
    ],
    [
      'NAT gateways in an existing VPC',
      withSections(
        'network:\n  natGateways: 2\n  existing: { vpcId: vpc-0abc0abc, privateSubnetIds: [subnet-0a0a0a0a, subnet-0b0b0b0b] }\n',
      ),
      '7:16 network.natGateways: cannot be set with network.existing: the stack creates no network in an existing VPC (its own NAT or endpoints provide the way out)',
    ],
    [
      'no NAT and no endpoints, so no way out',
      withSections('network:\n  natGateways: 0\n  vpcEndpoints: false\n'),
      '8:17 network.vpcEndpoints: cannot be false with natGateways: 0: the tasks would have no way to pull their image or send logs (keep the endpoints or add a NAT gateway)',
    ],
    [
      'a CloudFront web ACL for the regional stage',
      withSections('api:\n  wafWebAclArn: arn:aws:wafv2:us-east-1:123456789012:global/webacl/quiz/0a1b\n'),
      '7:17 api.wafWebAclArn: must be an ARN like arn:aws:wafv2:<region>:<account>:regional/webacl/…',
    ],
    [
      'an autoscaling max below min',
      withService('autoscaling: { min: 4, max: 2 }\n'),
      '6:31 service.autoscaling.max: 2 is less than min (4)',
    ],
    [
      'a desiredCount outside the autoscaling range',
      withService('desiredCount: 8\nautoscaling: { min: 2, max: 6 }\n'),
      '6:17 service.desiredCount: 8 is outside autoscaling.min..max (2..6): leave it out or pick a count in that range',
    ],
    [
      'an unknown auth kind',
      withSections('api:\n  routes:\n    - { path: /a, auth: oauth }\n'),
      '8:25 api.routes[0].auth: must be one of none, api-key, iam, cognito, not the string "oauth"',
    ],
    [
      'cognito auth without a user pool',
      withSections('api:\n  routes:\n    - { path: /a, auth: cognito }\n'),
      '8:25 api.routes[0].auth: cognito needs api.cognitoUserPoolArn (the user pool the authorizer checks tokens against)',
    ],
    [
      'a Lambda target that is not an ARN',
      withSections('api:\n  routes:\n    - { path: /a, target: reports }\n'),
      '8:27 api.routes[0].target: must be "service", "mock" or a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)',
    ],
    [
      'a duplicate route',
      withSections('api:\n  routes:\n    - { path: /a, methods: [GET] }\n    - { path: /a, methods: [POST, GET] }\n'),
      '9:35 api.routes[1].methods[1]: GET /a is also defined by api.routes[0]',
    ],
    [
      'ANY next to another method on one path',
      withSections('api:\n  routes:\n    - { path: /a, methods: [GET] }\n    - { path: /a }\n'),
      '9:7 api.routes[1].methods[0]: ANY /a overlaps GET in api.routes[0] (ANY covers every method)',
    ],
    [
      'sibling parameters with different names',
      withSections('api:\n  routes:\n    - path: /a/{x}\n    - path: /a/{y}/b\n'),
      '9:13 api.routes[1].path: {y} under "/a" clashes with {x} in api.routes[0]: API Gateway allows one parameter per position, so use the same name',
    ],
    [
      'a secret that is also a plain variable',
      withService('environment: { TOKEN: x }\nsecrets: { TOKEN: "arn:aws:ssm:eu-west-1:123456789012:parameter/t" }\n'),
      '7:21 service.secrets.TOKEN: TOKEN is also set in service.environment: define it in one place',
    ],
    [
      'an environment variable name with a dash',
      withService('environment: { "NODE-ENV": x }\n'),
      '6:18 service.environment.NODE-ENV: key "NODE-ENV" must be a valid environment variable name (letters, digits, _)',
    ],
    [
      'a secret name that is no environment variable name',
      withService('secrets: { "DB-PASSWORD": "arn:aws:ssm:eu-west-1:123456789012:parameter/p" }\n'),
      '6:14 service.secrets.DB-PASSWORD: key "DB-PASSWORD" must be a valid environment variable name (letters, digits, _)',
    ],
    [
      'a TABLE_NAME of its own beside the table',
      withSections('storage:\n  dynamodb: true\n').replace(
        'service:\n',
        'service:\n  environment: { TABLE_NAME: quiz }\n',
      ),
      '5:30 service.environment.TABLE_NAME: is set by storage.dynamodb to the name of the table it creates: use another name',
    ],
    [
      'API key names that would share a resource name',
      withSections('api:\n  apiKeys: [a-1b, a1b]\n'),
      '7:19 api.apiKeys[1]: API key "a1b" would get the same resource name as "a-1b"; rename one',
    ],
    [
      'a tag in the aws: namespace',
      withSections('tags:\n  "aws:team": quiz\n'),
      '7:3 tags.aws:team: key "aws:team" must not start with aws: (reserved by AWS)',
    ],
    [
      'a key given twice',
      withSections('storage:\n  dynamodb: true\n  dynamodb: false\n'),
      '8:3 : YAML syntax: Map keys must be unique',
    ],
  ])('%s', (_, yaml, expected) => {
    expect(problemsOf(yaml)).toEqual([expected]);
  });

  it.each([
    ['quizzes', '"quizzes" must start with /'],
    ['/quizzes/', '"/quizzes/" must not end with / (use /quizzes)'],
    ['/quizzes//teams', '"/quizzes//teams" has an empty segment (//)'],
    [
      '/quiz zes',
      'segment "quiz zes" of "/quiz zes" may only use A-Z a-z 0-9 . _ - or be a parameter like {id} or {proxy+}',
    ],
    ['/{proxy+}/teams', 'greedy {proxy+} must be the last segment of "/{proxy+}/teams"'],
    ['/a/{id}/b/{id}', 'parameter {id} appears twice in "/a/{id}/b/{id}"'],
  ])('the route path %s', (path, message) => {
    expect(problemsOf(withSections(`api:\n  routes:\n    - path: "${path}"\n`))).toEqual([
      `8:13 api.routes[0].path: ${message}`,
    ]);
  });

  it('braces in a flow map, hinting at the quotes', () => {
    const [problem] = problemsOf(withSections('api:\n  routes:\n    - { path: /a/{id}, methods: [GET] }\n'));
    expect(problem).toMatch(/^8:\d+ : YAML syntax: .* quote values with braces/);
  });

  it('a list where a map belongs, without tripping the checks that read it', () => {
    expect(problemsOf(withSections('api:\n  routes: { path: /a }\n'))).toEqual([
      '7:11 api.routes: must be a list, not a map',
    ]);
  });

  it('an empty file', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      '-:- : the file is empty: a config needs at least name and service.port',
    ]);
  });

  it('with every problem listed at once, in file order', () => {
    const problems = problemsOf(`name: Pub_Quiz
service:
  port: 0
  memory: 4096
  desiredcount: 3
network:
  cidr: 10.40.0.0/25
api:
  routes:
    - { path: /a, methods: [GET], auth: cognito }
    - { path: /a, methods: [GET] }
    - { path: /b/, target: nowhere }
`);
    expect(problems.map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual([
      '1:7 name:',
      '3:9 service.port:',
      '4:11 service.memory:',
      '5:3 service.desiredcount:',
      '7:9 network.cidr:',
      '10:41 api.routes[0].auth:',
      '11:29 api.routes[1].methods[0]:',
      '12:15 api.routes[2].path:',
      '12:28 api.routes[2].target:',
    ]);
  });

  it('with problems that depend on each other in the same run: one subnet, and a NAT in an existing VPC', () => {
    expect(
      problemsOf(
        withSections(
          'network:\n  natGateways: 2\n  existing: { vpcId: vpc-0abc0abc, privateSubnetIds: [subnet-0a0a0a0a] }\n',
        ),
      ),
    ).toEqual([
      '7:16 network.natGateways: cannot be set with network.existing: the stack creates no network in an existing VPC (its own NAT or endpoints provide the way out)',
      '8:54 network.existing.privateSubnetIds: needs at least two subnets in two AZs',
    ]);
  });

  it('in a ConfigError that lists the first 50 and counts the rest', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `VAR_${i}: x`).join('\n');
    expect(() => parseConfig(withService(`environment:\n${keys}\n`), 'deploy.yml')).toThrow(
      /has 61 problems:\n( {2}- .*\n){50} {2}… and 11 more$/,
    );
  });

  it('in a ConfigError whose message lists each problem with file, line and column', () => {
    expect(() => parseConfig(withService('desiredcount: 3\n'), 'svc/deploy.yml')).toThrow(
      'svc/deploy.yml has 1 problem:\n  - svc/deploy.yml:6:3 service.desiredcount: unknown key: did you mean desiredCount?',
    );
  });
});

describe('parseConfig, given something that is not a config', () => {
  it('says a binary file is not YAML instead of echoing it', () => {
    expect(problemsOf('\u0000\u0001ELF\ufffd\ufffd')).toEqual([
      '-:- : is binary data, not YAML text: is it the right file?',
    ]);
  });

  it('quotes at most a short excerpt of a long value', () => {
    const [problem] = problemsOf('root:x:0:0:root:/root:/bin/bash ' + 'daemon:x:1:1:daemon '.repeat(200));
    expect(problem).toBe(
      '1:1 : must be a map of keys and values, not the string "root:x:0:0:root:/root:/bin/bash daemon:x:1:1:daemon daemon:x"… (4031 characters)',
    );
  });

  it('says a second YAML document is not allowed, in words', () => {
    expect(problemsOf(`${minimal}---\nname: other\n`)).toEqual([
      '6:1 : holds more than one YAML document (a --- line): a config is one document',
    ]);
  });

  it('reports only the first YAML syntax error, not its echoes', () => {
    expect(problemsOf('name: quiz\nservice: {port: 80\n  cpu: 2\nfoo: [\n')).toEqual([
      '2:17 : YAML syntax: Implicit keys need to be on a single line',
    ]);
  });

  it('points a Copilot-style top-level key at its section', () => {
    expect(problemsOf(withSections('cpu: 512\n'))).toEqual([
      '6:1 cpu: unknown key here: did you mean service.cpu? (it belongs in the service section)',
    ]);
  });

  it('points a ready-made image at the image input', () => {
    expect(problemsOf('name: quiz\nimage: nginx:latest\nservice: { port: 80 }\n')).toEqual([
      '2:8 image: must be a map saying how to build your image (context, dockerfile, ...), not the string "nginx:latest": to deploy a ready-made image, leave image out of the config and pass it in the action\'s image input (CLI: --image)',
    ]);
  });
});

describe('loadConfig', () => {
  const dir = () => scratchDir('config-');

  it('reads and validates a file', async () => {
    const where = await dir();
    await writeFile(join(where, 'deploy.yml'), minimal);
    expect((await loadConfig(join(where, 'deploy.yml'))).name).toBe('pubquiz');
  });

  it('reports a missing file as a config problem', async () => {
    await expect(loadConfig('/nonexistent/deploy.yml', undefined, {})).rejects.toThrow(
      '/nonexistent/deploy.yml has 1 problem:\n  - /nonexistent/deploy.yml no such file',
    );
  });

  it('on a runner, asks whether the job checked the repository out', async () => {
    await expect(loadConfig('/nonexistent/deploy.yml', 'deploy.yml', { GITHUB_ACTIONS: 'true' })).rejects.toThrow(
      'deploy.yml no such file: does the job run actions/checkout before this step?',
    );
  });

  it('says a directory is not a config file', async () => {
    const where = await dir();
    await expect(loadConfig(where, 'services')).rejects.toThrow(
      'services is a directory, not a config file: name the YAML file in it (deploy.yml)',
    );
  });

  it('refuses a file far larger than any config before parsing it', async () => {
    const where = await dir();
    await writeFile(join(where, 'huge.yml'), `name: quiz\n${'# padding\n'.repeat(40_000)}`);
    await expect(loadConfig(join(where, 'huge.yml'), 'huge.yml')).rejects.toThrow(
      'huge.yml is 391 KiB, over the 256 KiB a config may have: is it the right file?',
    );
  });
});
