// The VPC link API Gateway reaches the internal load balancer through.
// v2 (default, what AWS recommends for REST APIs): ENIs in the private subnets with their own
// security group; each integration names the load balancer as its target.
// v1 (legacy, what the original console setup used): a PrivateLink endpoint service on the NLB.
// It takes 8+ minutes to create and cannot be deleted while a stage still uses it.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { NetworkRefs } from './network.js';
import type { LoadBalancerRefs } from './load-balancer.js';
import { getAtt, ref, sub, type Resources } from './intrinsics.js';

export interface VpcLinkRefs {
  /** The integrations' `ConnectionId`. */
  id: Value;
  /** The integrations' `IntegrationTarget`: the load balancer, for a v2 link only. */
  integrationTarget?: Value;
}

export interface VpcLinkLayer {
  resources: Resources;
  vpcLink: VpcLinkRefs;
}

export function renderVpcLink(config: Config, network: NetworkRefs, loadBalancer: LoadBalancerRefs): VpcLinkLayer {
  if (config.api.vpcLink === 'v1') {
    return {
      resources: {
        VpcLinkV1: {
          Type: 'AWS::ApiGateway::VpcLink',
          // The Ref in TargetArns already makes CloudFormation create the link after the NLB is
          // CREATE_COMPLETE (a Ref is a dependency); a DependsOn on top is redundant (cfn-lint W3005).
          Properties: { Name: sub('${AWS::StackName}'), TargetArns: [loadBalancer.arn] },
        },
      },
      vpcLink: { id: ref('VpcLinkV1') },
    };
  }
  const port = { IpProtocol: 'tcp', FromPort: loadBalancer.listenerPort, ToPort: loadBalancer.listenerPort };
  return {
    resources: {
      VpcLinkSecurityGroup: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: 'API Gateway VPC link: out to the load balancer listener only',
          VpcId: network.vpcId,
          SecurityGroupEgress: [
            { ...port, DestinationSecurityGroupId: loadBalancer.securityGroupId, Description: 'To the NLB listener' },
          ],
        },
      },
      LoadBalancerIngressFromVpcLink: {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: {
          GroupId: loadBalancer.securityGroupId,
          ...port,
          SourceSecurityGroupId: getAtt('VpcLinkSecurityGroup', 'GroupId'),
          Description: 'From the API Gateway VPC link',
        },
      },
      VpcLink: {
        Type: 'AWS::ApiGatewayV2::VpcLink',
        Properties: {
          Name: sub('${AWS::StackName}'),
          SubnetIds: network.privateSubnetIds,
          SecurityGroupIds: [getAtt('VpcLinkSecurityGroup', 'GroupId')],
        },
      },
    },
    vpcLink: { id: ref('VpcLink'), integrationTarget: loadBalancer.arn },
  };
}
