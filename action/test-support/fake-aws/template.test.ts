import { describe, expect, it } from '@jest/globals';
import {
  activeResources,
  checkCapabilities,
  evaluate,
  evaluateConditions,
  parseTemplate,
  resolveParameters,
} from './template.js';

const yaml = `
Parameters:
  Env: { Type: String, Default: prod }
  Image: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-\${Env}'
      Arn: !GetAtt Other.Arn
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Condition: IsProd
Outputs:
  Name: { Value: !Join ['-', [!Ref Queue, !Select [1, !Split [',', 'a,b']]]] }
`;

describe('parseTemplate', () => {
  it('reads YAML with the short intrinsic forms as their long forms', () => {
    const template = parseTemplate(yaml);
    expect(template.Resources.Queue.Properties).toEqual({
      QueueName: { 'Fn::Sub': '${AWS::StackName}-${Env}' },
      Arn: { 'Fn::GetAtt': ['Other', 'Arn'] },
    });
    expect(template.Conditions!.IsProd).toEqual({ 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] });
  });

  it('rejects what CloudFormation rejects, with its words', () => {
    expect(() => parseTemplate('{ "Resources": {} }')).toThrow(
      'Template format error: At least one Resources member must be defined.',
    );
    expect(() => parseTemplate('{ "Resources": ')).toThrow(/^Template format error: /);
  });
});

describe('parameters and capabilities', () => {
  const template = parseTemplate(yaml);

  it('fills defaults, keeps previous values on request, and names what is missing or unknown', () => {
    expect(resolveParameters(template, [{ ParameterKey: 'Image', ParameterValue: 'i' }], undefined)).toEqual({
      Image: 'i',
      Env: 'prod',
    });
    expect(
      resolveParameters(template, [{ ParameterKey: 'Image', UsePreviousValue: 'true' }], { Image: 'old' }).Image,
    ).toBe('old');
    expect(() => resolveParameters(template, [], undefined)).toThrow('Parameters: [Image] must have values');
    expect(() => resolveParameters(template, [{ ParameterKey: 'Nope', ParameterValue: 'x' }], undefined)).toThrow(
      'Parameters: [Nope] do not exist in the template',
    );
  });

  it('holds values to AllowedValues and AllowedPattern', () => {
    const constrained = parseTemplate(
      JSON.stringify({
        Parameters: {
          Env: { Type: 'String', AllowedValues: ['dev', 'prod'] },
          Cpu: { Type: 'String', AllowedPattern: '[0-9]+', Default: '256' },
        },
        Resources: { Q: { Type: 'AWS::SQS::Queue' } },
      }),
    );
    expect(() => resolveParameters(constrained, [{ ParameterKey: 'Env', ParameterValue: 'test' }], undefined)).toThrow(
      "Parameter 'Env' must be one of AllowedValues",
    );
    expect(() =>
      resolveParameters(
        constrained,
        [
          { ParameterKey: 'Env', ParameterValue: 'dev' },
          { ParameterKey: 'Cpu', ParameterValue: '1 vCPU' },
        ],
        undefined,
      ),
    ).toThrow("Parameter 'Cpu' must match pattern [0-9]+");
  });

  it('wants CAPABILITY_NAMED_IAM for named IAM resources', () => {
    const named = parseTemplate(
      JSON.stringify({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'r' } } } }),
    );
    expect(() => checkCapabilities(named, ['CAPABILITY_IAM'])).toThrow(
      'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    );
    expect(() => checkCapabilities(named, ['CAPABILITY_NAMED_IAM'])).not.toThrow();
  });
});

describe('evaluation', () => {
  const template = parseTemplate(yaml);
  const pseudo = { 'AWS::StackName': 'app', 'AWS::Region': 'us-east-1' };

  it('drops resources whose condition is false', () => {
    expect(activeResources(template, evaluateConditions(template, { Env: 'dev' }, pseudo)).map(([id]) => id)).toEqual([
      'Queue',
    ]);
    expect(activeResources(template, evaluateConditions(template, { Env: 'prod' }, pseudo)).map(([id]) => id)).toEqual([
      'Queue',
      'Alarm',
    ]);
  });

  it('resolves Ref, Sub, Join, Select and Split against the stack', () => {
    const ctx = {
      parameters: { Env: 'prod' },
      pseudo,
      physicalId: (id: string) => (id === 'Queue' ? 'q-123' : undefined),
      attribute: () => 'arn:x',
    };
    expect(evaluate(template.Outputs!.Name.Value, ctx)).toBe('q-123-b');
    expect(evaluate(template.Resources.Queue.Properties!, ctx)).toEqual({ QueueName: 'app-prod', Arn: 'arn:x' });
  });
});
