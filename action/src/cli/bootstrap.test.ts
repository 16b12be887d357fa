import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeployClients } from '../deploy/index.js';
import { awsConfig, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import { startFakeGitHub, type FakeGitHub } from '../../test-support/fake-github.js';
import { bootstrapCommandWith, bootstrapStackName } from './bootstrap.js';
import { repositoryVariables, variableNameFor } from './repository-variables.js';
import { runCli } from './run.js';

const CONFIG = `name: notes
service: { port: 8080 }
bootstrap: { repository: acme/notes, branch: main }
`;

describe('bootstrap', () => {
  let fake: FakeAws;
  let github: FakeGitHub;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeAws({ changeSetReadyMs: 20, resourceStepMs: 2 });
    github = await startFakeGitHub();
    dir = await mkdtemp(join(tmpdir(), 'pfa-bootstrap-'));
    await writeFile(join(dir, 'deploy.yml'), CONFIG);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
  });
  afterAll(async () => {
    await Promise.all([fake.close(), github.close(), rm(dir, { recursive: true, force: true })]);
  });

  const run = async (args: string[], options: { answer?: boolean; env?: NodeJS.ProcessEnv } = {}) => {
    let out = '';
    const questions: string[] = [];
    const command = bootstrapCommandWith({
      env: { AWS_REGION: 'us-east-1', ...options.env },
      clients: () => ({
        ...createDeployClients({ poll: { initialDelayMs: 5, maxDelayMs: 20 } }),
        cloudFormation: new CloudFormationClient(awsConfig(fake.url)),
      }),
      confirm:
        options.answer === undefined
          ? undefined
          : async (question) => {
              questions.push(question);
              return options.answer!;
            },
    });
    const code = await runCli([command], ['bootstrap', ...args], {
      cwd: dir,
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
    });
    return { code, out, questions };
  };
  const stack = () => fake.state().stacks.find((s) => s.name === 'bootstrap-notes' && s.live);

  it('shows the change set and deploys nothing when the answer is no', async () => {
    const declined = await run([], { answer: false });
    expect(declined.questions).toEqual(['Execute these changes to stack bootstrap-notes?']);
    expect(declined.out).toMatch(/DeployRole\s.*AWS::IAM::Role/);
    expect(declined.out).toContain('Nothing was deployed to stack bootstrap-notes.');
    expect(declined.code).toBe(1);
    expect(stack()).toBeUndefined();
  });

  it('refuses to execute without a terminal unless --yes', async () => {
    const unattended = await run([]);
    expect(unattended.out).toContain('Not a terminal: pass --yes to execute the change set.');
    expect(unattended.code).toBe(1);
    expect(stack()).toBeUndefined();
  });

  it('deploys when approved and prints the variables to set, one per output', async () => {
    const approved = await run([], { answer: true });
    expect(approved.code).toBe(0);
    expect(stack()).toBeDefined();
    expect(approved.out).toContain('Set these repository variables in acme/notes');
    expect(approved.out).toMatch(
      /AWS_DEPLOY_ROLE_ARN\s+arn:aws:iam::123456789012:role\/\S+\s+\(output DeployRoleArn\)/,
    );
    expect(approved.out).toMatch(/AWS_EXECUTION_ROLE_ARN\s+arn:aws:iam::/);
    expect(approved.out).toMatch(/AWS_TEMPLATE_BUCKET\s+\S+/);
    expect(approved.out).toMatch(/AWS_REGION\s+us-east-1/);
    expect(approved.out).toMatch(/gh variable set AWS_DEPLOY_ROLE_ARN --repo acme\/notes --body 'arn:aws:iam::/);
  });

  it('re-runs as an update and sets the variables through the GitHub API with a token', async () => {
    const env = { GITHUB_TOKEN: 'ghs_secret', GITHUB_API_URL: github.url };
    const first = await run(['--yes'], { env });
    expect(first.code).toBe(0);
    expect(first.out).toContain('No changes to stack bootstrap-notes');
    expect(first.out).toContain('created AWS_DEPLOY_ROLE_ARN = arn:aws:iam::');
    expect(first.out).not.toContain('ghs_secret');
    const variables = github.variables.get('acme/notes')!;
    expect([...variables.keys()].sort()).toEqual([
      'AWS_DEPLOY_ROLE_ARN',
      'AWS_EXECUTION_ROLE_ARN',
      'AWS_PERMISSIONS_BOUNDARY_ARN',
      'AWS_PLAN_ROLE_ARN',
      'AWS_REGION',
      'AWS_TEMPLATE_BUCKET',
    ]);
    expect(variables.get('AWS_REGION')).toBe('us-east-1');
    expect(github.authorizations.at(-1)).toBe('Bearer ghs_secret');

    variables.set('AWS_REGION', 'stale');
    const again = await run(['--yes', '--github-token', 'ghs_other'], { env: { GITHUB_API_URL: github.url } });
    expect(again.out).toContain('updated AWS_REGION = us-east-1');
    expect(variables.get('AWS_REGION')).toBe('us-east-1');
  });

  it('updates the stack when the bootstrap section changes', async () => {
    await writeFile(join(dir, 'deploy.yml'), CONFIG.replace('branch: main', 'branch: release'));
    try {
      const updated = await run(['--yes']);
      expect(updated.code).toBe(0);
      expect(updated.out).toContain('(UPDATE) for stack bootstrap-notes');
      expect(updated.out).toMatch(/Modify\s+DeployRole\s+AWS::IAM::Role/);
      expect(updated.out).toContain('Stack bootstrap-notes: UPDATE_COMPLETE');
    } finally {
      await writeFile(join(dir, 'deploy.yml'), CONFIG);
    }
  });

  it('names the stack outside the app scope, and refuses a name inside it before any AWS call', async () => {
    expect(bootstrapStackName('notes')).toBe('bootstrap-notes');
    expect(bootstrapStackName('bootstrap')).toBe('github-deploy-roles-bootstrap');
    const calls = fake.calls.length;
    const inside = await run(['--yes', '--stack-name', 'notes-bootstrap']);
    expect(inside.code).toBe(2);
    expect(inside.out).toContain("is inside the app's scope");
    expect(fake.calls.length).toBe(calls);
  });

  it('asks for the bootstrap section when the config has none', async () => {
    await writeFile(join(dir, 'plain.yml'), 'name: notes\nservice: { port: 8080 }\n');
    const plain = await run(['plain.yml', '--yes']);
    expect(plain.code).toBe(2);
    expect(plain.out).toContain('bootstrap: { repository: owner/name }');
  });
});

describe('repository variables', () => {
  it('are named after the outputs, so a new output becomes a new variable', () => {
    expect(variableNameFor('DeployRoleArn')).toBe('AWS_DEPLOY_ROLE_ARN');
    expect(variableNameFor('TemplateBucketName')).toBe('AWS_TEMPLATE_BUCKET');
    expect(variableNameFor('PlanRoleArn')).toBe('AWS_PLAN_ROLE_ARN');
    expect(repositoryVariables({ PlanRoleArn: 'arn:p' }, 'eu-west-1')).toEqual([
      { name: 'AWS_PLAN_ROLE_ARN', value: 'arn:p', source: 'output PlanRoleArn' },
      { name: 'AWS_REGION', value: 'eu-west-1', source: 'the Region of the bootstrap stack' },
    ]);
  });
});
