// The trust model, proven by a real IAM policy engine rather than by reading the policies: each
// question a reviewer asks of the bootstrap's roles gets the engine's answer, for the sample and
// for the variant configs (a v1 link with a Lambda target, an environment on one branch).
import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../config/schema.js';
import { renderBootstrap } from './bootstrap.js';
import { iamConfigs } from '../../test-support/iam-table.js';
import { questionsFor } from '../../test-support/iam-questions.js';
import { canAssumeWithToken, rolePolicies } from '../../test-support/iam.js';

const configs = await iamConfigs();

describe.each(configs)('the IAM engine, for %s', (_, config) => {
  it.each(questionsFor(config).map((q) => [`${q.role} ${q.allowed ? 'can' : 'cannot'} ${q.question}`, q] as const))(
    '%s',
    async (_, question) => {
      expect((await question.ask()) === 'Allowed').toBe(question.allowed);
    },
  );

  it('gives the deploy role nothing but CloudFormation, passing the execution role, the image push and reading why a deploy failed', () => {
    const template = renderBootstrap(config);
    const deploy = rolePolicies(template, 'DeployRole');
    const allowed = deploy.identity.flatMap(({ policy }) =>
      (policy as { Statement: { Effect: string; Action: string[] }[] }).Statement.filter(
        (s) => s.Effect === 'Allow',
      ).flatMap((s) => s.Action),
    );
    const outside = allowed.filter(
      (action) =>
        !/^cloudformation:/.test(action) &&
        action !== 'iam:PassRole' &&
        !/^ecr:/.test(action) &&
        !/^(ecs:(Describe|List)|elasticloadbalancing:DescribeTargetHealth$|cloudwatch:DescribeAlarms$)/.test(action) &&
        !/^s3:(PutObject|GetObject)$/.test(action),
    );
    expect(outside).toEqual([]);
  });
});

describe('trust for an environment on one branch', () => {
  const template = renderBootstrap(
    configSchema.parse({
      name: 'pubquiz',
      service: { port: 8080 },
      bootstrap: { repository: 'acme/pubquiz', deployFrom: [{ environment: 'production', branch: 'main' }] },
    }),
  );
  const deploy = rolePolicies(template, 'DeployRole');

  it('needs both: the environment in the subject and the branch in the ref claim', () => {
    const sub = 'repo:acme/pubquiz:environment:production';
    expect(canAssumeWithToken(deploy, { sub, ref: 'refs/heads/main' })).toBe('Allowed');
    expect(canAssumeWithToken(deploy, { sub, ref: 'refs/heads/feature' })).not.toBe('Allowed');
    expect(
      canAssumeWithToken(deploy, { sub: 'repo:acme/pubquiz:ref:refs/heads/main', ref: 'refs/heads/main' }),
    ).not.toBe('Allowed');
  });
});
