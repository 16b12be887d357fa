import { beforeAll, describe, expect, it } from '@jest/globals';
import { planEdit, sampleConfig, type CapturedPlan } from '../../test-support/plan-capture.js';
import { newIamAction } from '../../test-support/sample-edits.js';
import { renderStack } from '../render/index.js';
import type { Value } from '../render/template.js';
import { iamStatements, securityChanges } from './security-diff.js';

describe('the security diff', () => {
  let iam: CapturedPlan;
  beforeAll(async () => {
    iam = await planEdit({ config: newIamAction() });
  });

  it('shows a new IAM action as one readable line on its role', () => {
    expect(iam.review.security).toEqual([
      {
        exposure: false,
        text: '+ ExecutionRole: Allow ssm:GetParameters on arn:aws:ssm:us-east-1:123456789012:parameter/pubquiz/flags',
      },
    ]);
  });

  it('reads statements as actions on resources, not JSON', () => {
    const task = [...iamStatements(renderStack(sampleConfig())).get('TaskRole')!];
    expect(task).toContain('Allow dynamodb:GetItem on Table.Arn');
    expect(task.find((l) => l.startsWith('trusts'))).toBe(
      'trusts Service ecs-tasks.amazonaws.com to sts:AssumeRole when {StringEquals:{aws:SourceAccount:{Ref:AWS::AccountId}}}',
    );
  });

  it('flags a security group rule open to the internet and public task IPs', () => {
    const before = renderStack(sampleConfig());
    const after = structuredClone(before);
    const group = after.Resources.TaskSecurityGroup.Properties as Record<string, Value>;
    group.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: '0.0.0.0/0' }];
    const service = after.Resources.Service.Properties as {
      NetworkConfiguration: { AwsvpcConfiguration: Record<string, Value> };
    };
    service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp = 'ENABLED';
    expect(securityChanges(before, after)).toEqual([
      { exposure: true, text: '+ TaskSecurityGroup ingress tcp 8080 from 0.0.0.0/0 — OPEN TO THE INTERNET' },
      { exposure: false, text: '- TaskSecurityGroup ingress tcp 8080 from security group LoadBalancerSecurityGroup' },
      { exposure: true, text: '+ Service tasks get public IP addresses' },
    ]);
  });
});

describe('the security diff on a first deploy', () => {
  it('lists every role and rule as new, without calling the regional REST API an exposure', () => {
    const changes = securityChanges(undefined, renderStack(sampleConfig()));
    expect(changes.find((c) => c.text.includes('REST API'))).toEqual({
      exposure: false,
      text: '+ Api REST API is reachable from the internet (REGIONAL)',
    });
    expect(changes.filter((c) => c.text.startsWith('+ role '))).toHaveLength(3);
    expect(changes.some((c) => c.exposure)).toBe(false);
  });
});
