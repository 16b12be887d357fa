// A plan run needs nothing but the bootstrap's plan role: every AWS call the engine makes in plan
// mode, with the parameters it really sends, is put to the IAM policy engine as the plan role.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { DeleteStackCommand, type ResourceChange } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { configSchema } from '../config/schema.js';
import { renderBootstrap } from '../render/bootstrap.js';
import { ACCOUNT, REGION, TEMPLATE_BUCKET, decide, rolePolicies, type Request } from '../../test-support/iam.js';
import { awsError, deployRequest, testWorld } from '../../test-support/deploy-world.js';
import { deployStack } from './engine.js';

const config = configSchema.parse({
  name: 'pubquiz',
  service: { port: 8080 },
  bootstrap: { repository: 'acme/pubquiz' },
});
const bootstrap = renderBootstrap(config);
const plan = rolePolicies(bootstrap, 'PlanRole');
const executionRoleArn = rolePolicies(bootstrap, 'ExecutionRole').arn;
const service: ResourceChange = { Action: 'Modify', LogicalResourceId: 'Service', ResourceType: 'AWS::ECS::Service' };

let world: ReturnType<typeof testWorld>;
beforeEach(() => {
  world = testWorld();
  world.env.s3.on(PutObjectCommand).resolves({});
});

/** Each call the engine made, as IAM sees it. */
function requests(): Request[] {
  const stack = `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/pubquiz/0f1e`;
  const cfn = world.env.cfn.calls().map((call) => {
    const command = call.args[0] as unknown as { constructor: { name: string }; input: Record<string, unknown> };
    const input = command.input;
    const context: Record<string, string | string[]> = {};
    if (typeof input.ChangeSetName === 'string') context['cloudformation:ChangeSetName'] = input.ChangeSetName;
    if (typeof input.RoleARN === 'string') context['cloudformation:RoleArn'] = input.RoleARN;
    if (typeof input.TemplateURL === 'string') context['cloudformation:TemplateUrl'] = input.TemplateURL;
    for (const { Key, Value } of (input.Tags ?? []) as { Key: string; Value: string }[])
      context[`aws:RequestTag/${Key}`] = Value;
    if (input.Tags) context['aws:TagKeys'] = (input.Tags as { Key: string }[]).map((t) => t.Key);
    if (command.constructor.name === 'CreateChangeSetCommand')
      context['cloudformation:ResourceTypes'] = ['AWS::ECS::Service'];
    return { action: `cloudformation:${command.constructor.name.replace(/Command$/, '')}`, resource: stack, context };
  });
  const s3 = world.env.s3.commandCalls(PutObjectCommand).map(({ args: [{ input }] }) => ({
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${input.Bucket}/${input.Key}`,
  }));
  return [...cfn, ...s3];
}

const request = (templateBody = '{"Resources":{}}') =>
  deployRequest({
    stackName: 'pubquiz',
    mode: 'plan',
    roleArn: executionRoleArn,
    tags: { Project: 'pubquiz' },
    templateBody,
    s3Bucket: TEMPLATE_BUCKET,
  });

describe('plan mode with the plan role alone', () => {
  it('plans a change to an existing stack, a large template included, with nothing the plan role lacks', async () => {
    world.aws.givenStack('pubquiz', 'UPDATE_COMPLETE');
    world.aws.changeSet = { changes: [service] };
    const large = JSON.stringify({ Resources: {}, Description: 'x'.repeat(52_000) });
    const result = await deployStack(world.env.clients, request(large), world.reporter);
    expect(result.hasChanges).toBe(true);
    const made = requests();
    expect(made.map((r) => r.action)).toEqual(
      expect.arrayContaining(['cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 's3:PutObject']),
    );
    for (const r of made) expect({ ...r, decision: await decide(plan, r) }).toEqual({ ...r, decision: 'Allowed' });
  });

  it('plans a new stack: everything allowed but deleting the empty stack, which the engine then leaves', async () => {
    world.aws.changeSet = { changes: [service] };
    world.env.cfn.on(DeleteStackCommand).rejects(awsError('AccessDenied', 'not authorized'));
    await deployStack(world.env.clients, request(), world.reporter);
    for (const r of requests()) {
      const decision = await decide(plan, r);
      expect({ action: r.action, allowed: decision === 'Allowed' }).toEqual({
        action: r.action,
        allowed: r.action !== 'cloudformation:DeleteStack',
      });
    }
    expect(world.reporter.lines.join('\n')).toContain('Left the empty REVIEW_IN_PROGRESS stack pubquiz');
  });
});
