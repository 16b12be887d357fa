import { describe, expect, it } from '@jest/globals';
import { computeChanges, creationOrder, references, type TemplateSide } from './changes.js';
import type { TemplateResource } from './template.js';

const side = (resources: Record<string, TemplateResource>, parameters: Record<string, string> = {}): TemplateSide => ({
  resources: Object.entries(resources),
  parameters,
});

const bucket = (props: Record<string, string>): TemplateResource => ({ Type: 'AWS::S3::Bucket', Properties: props });

describe('computeChanges', () => {
  it('tells in-place updates from replacements using the resource specification', () => {
    const changes = computeChanges(
      side({ Logs: bucket({ BucketName: 'a', ObjectLockEnabled: 'false' }) }),
      side({ Logs: bucket({ BucketName: 'b', ObjectLockEnabled: 'false' }) }),
      { Logs: 'a' },
    );
    expect(changes).toEqual([
      {
        Action: 'Modify',
        LogicalResourceId: 'Logs',
        PhysicalResourceId: 'a',
        ResourceType: 'AWS::S3::Bucket',
        Replacement: 'True',
        Scope: ['Properties'],
        Details: [
          {
            Target: { Attribute: 'Properties', Name: 'BucketName', RequiresRecreation: 'Always' },
            Evaluation: 'Static',
            ChangeSource: 'DirectModification',
          },
        ],
      },
    ]);
    const inPlace = computeChanges(
      side({ Logs: bucket({ VersioningConfiguration: 'x' }) }),
      side({ Logs: bucket({ VersioningConfiguration: 'y' }) }),
      {},
    );
    expect(inPlace[0].Replacement).toBe('False');
  });

  it('marks tag-only and metadata-only changes with their scope', () => {
    const before: TemplateResource = { Type: 'AWS::SQS::Queue', Properties: { Tags: [] }, Metadata: { a: 1 } };
    const after: TemplateResource = {
      Type: 'AWS::SQS::Queue',
      Properties: { Tags: [{ Key: 'k', Value: 'v' }] },
      Metadata: { a: 2 },
    };
    const [change] = computeChanges(side({ Q: before }), side({ Q: after }), {});
    expect(change).toMatchObject({ Action: 'Modify', Replacement: 'False', Scope: ['Tags', 'Metadata'] });
  });

  it('follows a changed parameter into the resources that use it, and on into what references a replaced one', () => {
    const resources = {
      Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Image: { Ref: 'Image' } }] } },
      Service: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Task' } } },
      Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmDescription: { 'Fn::Sub': 'for ${Service.Name}' } } },
    };
    const changes = computeChanges(side(resources, { Image: 'a' }), side(resources, { Image: 'b' }), {});
    expect(
      changes.map((c) => [
        c.LogicalResourceId,
        c.Replacement,
        c.Details.map((d) => `${d.ChangeSource}:${d.CausingEntity}`),
      ]),
    ).toEqual([
      ['Task', 'True', ['ParameterReference:Image']],
      ['Service', 'False', ['ResourceReference:Task']],
      ['Alarm', 'False', ['ResourceAttribute:Service.Name']],
    ]);
  });

  it('finds nothing to do when template and parameters are the same', () => {
    const resources = { Q: { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: { Ref: 'Delay' } } } };
    expect(computeChanges(side(resources, { Delay: '1' }), side(resources, { Delay: '1' }), {})).toEqual([]);
  });

  it('adds new resources and removes old ones with their physical ids', () => {
    const changes = computeChanges(side({ Old: bucket({}) }), side({ New: bucket({}) }), { Old: 'old-bucket' });
    expect(changes.map((c) => [c.Action, c.LogicalResourceId, c.PhysicalResourceId])).toEqual([
      ['Add', 'New', undefined],
      ['Remove', 'Old', 'old-bucket'],
    ]);
  });
});

describe('creationOrder', () => {
  it('puts dependencies (Ref, GetAtt, Sub, DependsOn) before the resources that need them', () => {
    const resources: Record<string, TemplateResource> = {
      Service: { Type: 'AWS::ECS::Service', DependsOn: 'Listener', Properties: { Cluster: { Ref: 'Cluster' } } },
      Listener: {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: { LoadBalancerArn: { 'Fn::GetAtt': ['Nlb', 'Arn'] } },
      },
      Nlb: {
        Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
        Properties: { Name: { 'Fn::Sub': '${AWS::StackName}-nlb' } },
      },
      Cluster: { Type: 'AWS::ECS::Cluster' },
    };
    const order = creationOrder(Object.entries(resources)).map(([id]) => id);
    expect(order).toEqual(['Cluster', 'Nlb', 'Listener', 'Service']);
  });

  it('reads references out of every intrinsic', () => {
    expect(
      references({
        'Fn::Join': ['', [{ Ref: 'A' }, { 'Fn::GetAtt': 'B.Arn' }, { 'Fn::Sub': ['${C}-${x}', { x: { Ref: 'D' } }] }]],
      }),
    ).toEqual(['A', 'B.Arn', 'C', 'x', 'D']);
  });
});
