import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { formatTemplate, renderStack } from './index.js';
import { IMAGE_PARAMETER, OUTPUTS } from './template.js';
import { configOf, everythingInput, manyRoutesInput, minimalInput, sampleInput } from '../../test-support/configs.js';
import { checkTemplate, checkTemplateSize } from '../../test-support/cfn-spec.js';

describe('renderStack', () => {
  it('is deterministic: the same config renders byte-identical YAML and JSON', () => {
    for (const format of ['yaml', 'json'] as const) {
      const first = formatTemplate(renderStack(configOf(sampleInput)), format);
      expect(formatTemplate(renderStack(configOf(sampleInput)), format)).toBe(first);
    }
  });

  it('renders templates CloudFormation accepts, within the inline body limit for the sample', () => {
    for (const input of [minimalInput, sampleInput, everythingInput, manyRoutesInput(200)])
      expect(checkTemplate(renderStack(configOf(input)))).toEqual([]);
    // What is deployed (compact JSON) and exported (YAML); indented JSON is only written for reading.
    expect(
      checkTemplateSize(renderStack(configOf(sampleInput))).filter((problem) => !problem.includes('indented')),
    ).toEqual([]);
  });

  it('refuses an API too large for one stack, saying why', () => {
    const routes = Array.from({ length: 240 }, (_, i) => ({ path: `/area${i}/items${i}`, methods: ['GET' as const] }));
    expect(() => renderStack(configOf(minimalInput, { api: { routes } }))).toThrow(
      /over CloudFormation's limit of 500 per stack/,
    );
  });

  it('takes the image as a parameter that accepts a digest or a tag', () => {
    const parameter = renderStack(configOf(minimalInput)).Parameters![IMAGE_PARAMETER];
    const pattern = new RegExp(parameter.AllowedPattern!);
    const digest = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/pubquiz@sha256:${'a'.repeat(64)}`;
    expect(pattern.test(digest)).toBe(true);
    expect(pattern.test('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/pubquiz:v1.2.3')).toBe(true);
    expect(pattern.test('pubquiz')).toBe(false);
    expect(pattern.test(`pubquiz@sha256:${'a'.repeat(63)}`)).toBe(false);
  });

  it('attaches no AWS managed policy, and grants `*` only where AWS requires it', () => {
    const template = renderStack(configOf(everythingInput));
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(3);
    const wildcards: unknown[] = [];
    for (const role of roles) {
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
      const policies = (role.Properties!.Policies ?? []) as {
        PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
      }[];
      for (const statement of policies.flatMap((p) => p.PolicyDocument.Statement))
        if (statement.Resource === '*') wildcards.push(statement.Action);
    }
    expect(wildcards).toEqual([['ecr:GetAuthorizationToken']]);
  });

  it('exposes the outputs the action reports', () => {
    const outputs = renderStack(configOf(minimalInput)).Outputs!;
    for (const name of Object.values(OUTPUTS)) expect(outputs[name]).toBeDefined();
  });

  it('sets no physical name where AWS limits its length or a replacement would need a new one', () => {
    const limited = [
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      'AWS::DynamoDB::Table',
      'AWS::IAM::Role',
      'AWS::ECS::Cluster',
      'AWS::ECS::Service',
      'AWS::Logs::LogGroup',
      'AWS::EC2::SecurityGroup',
    ];
    const nameKeys = [
      'Name',
      'LoadBalancerName',
      'TableName',
      'RoleName',
      'ClusterName',
      'ServiceName',
      'LogGroupName',
      'GroupName',
    ];
    // API Gateway dictates its execution log group's name, which carries the API's id: a new API gets a new name.
    const { ApiExecutionLogGroup, ...resources } = renderStack(configOf(sampleInput)).Resources;
    expect(ApiExecutionLogGroup.Properties!.LogGroupName).toEqual({
      'Fn::Sub': 'API-Gateway-Execution-Logs_${Api}/prod',
    });
    for (const resource of Object.values(resources)) {
      if (!limited.includes(resource.Type)) continue;
      for (const key of nameKeys) expect(resource.Properties?.[key]).toBeUndefined();
    }
  });

  it('tags every taggable resource with the project and the configured tags', () => {
    const template = renderStack(configOf(sampleInput, { tags: { team: 'quiz', 'cost-center': '42' } }));
    const tags = (id: string) => template.Resources[id].Properties!.Tags;
    expect(tags('LoadBalancer')).toEqual([
      { Key: 'Project', Value: 'pubquiz' },
      { Key: 'cost-center', Value: '42' },
      { Key: 'team', Value: 'quiz' },
    ]);
    // A resource's own Name tag stays first; map-style tags for the v2 VPC link.
    expect(tags('Vpc')).toEqual(
      expect.arrayContaining([
        { Key: 'Name', Value: { 'Fn::Sub': '${AWS::StackName}-vpc' } },
        { Key: 'Project', Value: 'pubquiz' },
      ]),
    );
    expect(tags('VpcLink')).toEqual({ Project: 'pubquiz', 'cost-center': '42', team: 'quiz' });
    expect(tags('Table')).toContainEqual({ Key: 'team', Value: 'quiz' });
  });
});

describe('formatTemplate', () => {
  const template = renderStack(configOf(sampleInput));

  it('writes YAML that reads back as the same template, without anchors, ending in a newline', () => {
    const yaml = formatTemplate(template, 'yaml');
    expect(yaml.endsWith('\n')).toBe(true);
    expect(yaml).not.toMatch(/[&*]a\d+/);
    expect(parse(yaml, { version: '1.1' })).toEqual(JSON.parse(JSON.stringify(template)));
  });

  it('quotes what YAML 1.1 (CloudFormation) would read as a boolean or a date', () => {
    const yaml = formatTemplate(template, 'yaml');
    expect(yaml).toContain('EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "on"');
    expect(yaml).toContain('AWSTemplateFormatVersion: "2010-09-09"');
    expect(yaml).toContain('Version: "2012-10-17"');
  });

  it('writes JSON indented by two spaces, ending in a newline', () => {
    const json = formatTemplate(template, 'json');
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toMatch(/^ {2}"AWSTemplateFormatVersion"/);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(template)));
  });
});
