// The API layer: a regional REST API whose routes reach the service through a VPC link (or a
// Lambda function, or a mock), deployed to one stage. The pieces live in api-*.ts and vpc-link.ts;
// this module assembles them in the order they reference each other.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import type { NetworkRefs } from './network.js';
import type { LoadBalancerRefs } from './load-balancer.js';
import { getAtt, mergeResources, ref, sub, type Resources } from './intrinsics.js';
import { renderVpcLink } from './vpc-link.js';
import { renderAccess, renderUsagePlan } from './api-access.js';
import { renderMethods } from './api-methods.js';
import { renderDeployment, renderStage } from './api-stage.js';
import { API_DOMAIN_NAME, REST_API, STAGE } from './api-ids.js';

export interface ApiRefs {
  restApiId: Value;
  /** `https://<id>.execute-api.<region>.<suffix>/<stage>` */
  url: Value;
  vpcLinkId: Value;
  apiKeyIds: Value[];
  /** The regional host name a custom domain's DNS record points at. */
  domainTarget?: Value;
}

export interface ApiInputs {
  network: NetworkRefs;
  loadBalancer: LoadBalancerRefs;
}

export interface ApiLayer {
  resources: Resources;
  api: ApiRefs;
}

export function renderApi(config: Config, { network, loadBalancer }: ApiInputs): ApiLayer {
  const restApi: Resources = {
    [REST_API]: {
      Type: 'AWS::ApiGateway::RestApi',
      Properties: {
        Name: sub('${AWS::StackName}'),
        Description: `${config.name}: private Fargate service behind a VPC link`,
        EndpointConfiguration: { Types: ['REGIONAL'] },
      },
    },
  };
  const link = renderVpcLink(config, network, loadBalancer);
  const access = renderAccess(config);
  const methods = renderMethods(config, { loadBalancer, vpcLink: link.vpcLink, ...access.access });
  const deployed = mergeResources(restApi, access.resources, methods.resources);
  const backend = {
    vpcLink: link.resources,
    subnets: network.privateSubnetIds,
    vpc: config.network.existing?.vpcId ?? config.network.cidr,
  };
  const deployment = renderDeployment(deployed, methods.methodIds, backend);
  const stage = renderStage(config, deployment.id);
  const usagePlan = renderUsagePlan(config, ref(STAGE));

  return {
    resources: mergeResources(
      restApi,
      link.resources,
      access.resources,
      methods.resources,
      deployment.resources,
      stage,
      usagePlan.resources,
    ),
    api: {
      restApiId: ref(REST_API),
      url: sub(`https://\${${REST_API}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/\${${STAGE}}`),
      vpcLinkId: link.vpcLink.id,
      apiKeyIds: usagePlan.access.apiKeyIds,
      domainTarget: config.api.domain ? getAtt(API_DOMAIN_NAME, 'RegionalDomainName') : undefined,
    },
  };
}
