// The application stack, rendered from a validated config: pure and deterministic, the same config
// always gives the same template, byte for byte. Each layer takes the references it needs from
// the layers before it and hands its own on.
import { stringify } from 'yaml';
import type { Config } from '../config/schema.js';
import { IMAGE_PARAMETER, OUTPUTS, type Output, type Template } from './template.js';
import { join, mergeResources } from './intrinsics.js';
import { renderNetwork } from './network.js';
import { renderStorage } from './storage.js';
import { renderLoadBalancer } from './load-balancer.js';
import { renderCompute } from './compute.js';
import { renderApi } from './api.js';
import { renderRollout } from './rollout.js';
import { GATE_ALARMS, renderAlarms } from './alarms.js';
import { DASHBOARD as DASHBOARD_ID, dashboardUrl, renderDashboard } from './dashboard.js';
import { stackTags, tagResources } from './tags.js';
import { boundaryParameters, withPermissionsBoundary } from './permissions-boundary.js';
import { applyRetention, deletesDataWithStack } from './retention.js';
import { withNagSuppressions } from './nag.js';

/** Accepts `registry/repo@sha256:<64 hex>` (what the action deploys) and `registry/repo:tag`. */
export const IMAGE_URI_PATTERN =
  '^(?:[a-z0-9][a-z0-9.-]*(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*(?:@sha256:[a-f0-9]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$';

/** CloudFormation's limit on resources in one stack. */
export const MAX_RESOURCES = 500;

export interface StackOptions {
  /** The environment the stack is deployed as (the action's `environment` input), if any. */
  environment?: string;
}

export function renderStack(config: Config, { environment }: StackOptions = {}): Template {
  const { resources: networkResources, network } = renderNetwork(config);
  const { resources: storageResources, storage } = renderStorage(config, network);
  const { resources: lbResources, loadBalancer } = renderLoadBalancer(config, network);
  const { resources: rolloutResources, rollout } = renderRollout(config, lbResources, loadBalancer);
  const { resources: computeResources, compute } = renderCompute(config, { network, loadBalancer, storage, rollout });
  const { resources: apiResources, api } = renderApi(config, { network, loadBalancer });
  const watched = { compute, storage, targetGroupIds: rollout.targetGroupIds, loadBalancerId: loadBalancer.logicalId };
  const alarmResources = renderAlarms(config, watched);
  const dashboardResources = renderDashboard(config, {
    ...watched,
    alarmIds: GATE_ALARMS.filter((id) => id in alarmResources),
  });
  const resources = applyRetention(
    mergeResources(
      networkResources,
      storageResources,
      lbResources,
      rolloutResources,
      computeResources,
      apiResources,
      alarmResources,
      dashboardResources,
    ),
    deletesDataWithStack(config, environment),
  );
  const count = Object.keys(resources).length;
  if (count > MAX_RESOURCES) {
    throw new Error(
      `the config renders ${count} resources, over CloudFormation's limit of ${MAX_RESOURCES} per stack: ` +
        'each route path is one API Gateway resource and each method another, so use fewer paths or a greedy {proxy+} route',
    );
  }

  const outputs: Record<string, Output> = {
    [OUTPUTS.apiUrl]: { Description: 'Invoke URL of the API stage', Value: api.url },
    [OUTPUTS.cluster]: { Description: 'ECS cluster', Value: compute.clusterName },
    [OUTPUTS.service]: { Description: 'ECS service', Value: compute.serviceName },
    [OUTPUTS.logGroup]: { Description: 'Log group of the containers', Value: compute.logGroupName },
    [OUTPUTS.loadBalancerDns]: { Description: 'Internal load balancer DNS name', Value: loadBalancer.dnsName },
    ApiId: { Description: 'REST API id', Value: api.restApiId },
    VpcLinkId: { Description: `VPC link (${config.api.vpcLink}) id`, Value: api.vpcLinkId },
  };
  if (DASHBOARD_ID in dashboardResources)
    outputs[OUTPUTS.dashboardUrl] = { Description: 'CloudWatch dashboard of the stack', Value: dashboardUrl };
  if (api.apiKeyIds.length > 0) {
    outputs.ApiKeyIds = {
      Description: 'API key ids (aws apigateway get-api-key --include-value --api-key <id>)',
      Value: join(',', api.apiKeyIds),
    };
  }
  if (api.domainTarget)
    outputs.ApiDomainTarget = { Description: 'Point the custom domain (CNAME/alias) here', Value: api.domainTarget };
  if (storage.environment.TABLE_NAME)
    outputs.TableName = { Description: 'DynamoDB table', Value: storage.environment.TABLE_NAME };

  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${config.name}: a private Fargate service behind an internal NLB, a VPC link and API Gateway (private-fargate-api)`,
    Parameters: {
      [IMAGE_PARAMETER]: {
        Type: 'String',
        Description: 'Container image, pinned by digest (repository@sha256:...)',
        AllowedPattern: IMAGE_URI_PATTERN,
      },
      ...boundaryParameters(config),
    },
    Resources: withNagSuppressions(config, tagResources(withPermissionsBoundary(resources, config), stackTags(config))),
    Outputs: outputs,
  };
}

/**
 * YAML (readable, no anchors, no folded lines) or JSON (2-space); both end with a newline.
 * CloudFormation reads YAML 1.1, where a bare `off` is false and `2012-10-17` a date, so the YAML
 * is written for 1.1: such strings get quotes.
 */
export function formatTemplate(template: Template, format: 'yaml' | 'json'): string {
  if (format === 'json') return JSON.stringify(template, null, 2) + '\n';
  return stringify(template, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });
}
