import { describe, expect, it } from '@jest/globals';
import type { ConfigInput } from '../config/schema.js';
import { renderStack } from './index.js';
import type { Template } from './template.js';
import { configOf, minimalInput, ofType, sampleInput, single } from '../../test-support/configs.js';

type Routes = NonNullable<NonNullable<ConfigInput['api']>['routes']>;
const withApi = (api: NonNullable<ConfigInput['api']>) => renderStack(configOf(minimalInput, { api }));
const withRoutes = (routes: Routes, api: NonNullable<ConfigInput['api']> = {}) => withApi({ ...api, routes });

const methods = (template: Template) => ofType(template, 'AWS::ApiGateway::Method');
const deploymentOf = (template: Template) => {
  const found = Object.entries(ofType(template, 'AWS::ApiGateway::Deployment'));
  expect(found).toHaveLength(1);
  return { id: found[0][0], deployment: found[0][1] };
};
const integrationOf = (template: Template, methodId: string) =>
  template.Resources[methodId].Properties!.Integration as Record<string, unknown>;

describe('api: resources and methods', () => {
  it('without routes sends everything, root included, to the service', () => {
    const template = renderStack(configOf(minimalInput));
    const proxy = single(template, 'AWS::ApiGateway::Resource').Properties;
    expect(proxy.PathPart).toBe('{proxy+}');
    const byPath = Object.values(methods(template)).map((m) => [m.Properties!.ResourceId, m.Properties!.HttpMethod]);
    expect(byPath).toEqual([
      [{ 'Fn::GetAtt': ['Api', 'RootResourceId'] }, 'ANY'],
      [{ Ref: 'ProxyResource' }, 'ANY'],
    ]);
    const integration = integrationOf(template, 'ProxyAnyMethod');
    expect(integration.Uri).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] }, ':80/{proxy}']],
    });
    expect(integration.RequestParameters).toEqual({ 'integration.request.path.proxy': 'method.request.path.proxy' });
  });

  it('shares the resources of nested paths and maps each path parameter', () => {
    const template = renderStack(configOf(sampleInput));
    const parts = Object.values(ofType(template, 'AWS::ApiGateway::Resource')).map((r) => r.Properties!.PathPart);
    expect(parts.filter((p) => p === 'quizzes')).toHaveLength(1);
    expect(parts.filter((p) => p === '{quizId}')).toHaveLength(1);
    const answers = template.Resources.QuizzesQuizIdRoundsRoundAnswersPutMethod.Properties!;
    expect(answers.RequestParameters).toMatchObject({
      'method.request.path.quizId': true,
      'method.request.path.round': true,
    });
    expect((answers.Integration as Record<string, unknown>).RequestParameters).toEqual({
      'integration.request.path.quizId': 'method.request.path.quizId',
      'integration.request.path.round': 'method.request.path.round',
    });
  });

  it('v2: each service integration targets the load balancer and names the backend path without the stage', () => {
    const template = renderStack(configOf(sampleInput));
    const integration = integrationOf(template, 'QuizzesQuizIdTeamsPostMethod');
    expect(integration).toMatchObject({
      Type: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: 'VpcLink' },
      IntegrationTarget: { Ref: 'LoadBalancer' },
      IntegrationHttpMethod: 'POST',
    });
    const uri = JSON.stringify(integration.Uri);
    expect(uri).toContain(':80/quizzes/{quizId}/teams');
    expect(uri).not.toContain('prod');
    expect(single(template, 'AWS::ApiGatewayV2::VpcLink').Properties).toMatchObject({
      SubnetIds: [{ Ref: 'PrivateSubnet1' }, { Ref: 'PrivateSubnet2' }],
    });
  });

  it('v2: the load balancer admits the listener port from the VPC link security group', () => {
    const template = renderStack(configOf(minimalInput));
    expect(single(template, 'AWS::EC2::SecurityGroupIngress').Properties).toMatchObject({
      GroupId: { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] },
      FromPort: 80,
      ToPort: 80,
      SourceSecurityGroupId: { 'Fn::GetAtt': ['VpcLinkSecurityGroup', 'GroupId'] },
    });
  });

  it('v1: the link targets the NLB (its Ref orders creation); integrations carry no target', () => {
    const template = withApi({ vpcLink: 'v1' });
    const link = single(template, 'AWS::ApiGateway::VpcLink');
    expect(link.Properties.TargetArns).toEqual([{ Ref: 'LoadBalancer' }]);
    expect(ofType(template, 'AWS::ApiGatewayV2::VpcLink')).toEqual({});
    const integration = integrationOf(template, 'ProxyAnyMethod');
    expect(integration.ConnectionId).toEqual({ Ref: 'VpcLinkV1' });
    expect(integration.IntegrationTarget).toBeUndefined();
  });
});

describe('api: per-route access and targets', () => {
  const template = withRoutes(
    [
      { path: '/open', methods: ['GET'] },
      { path: '/keyed', methods: ['POST'], auth: 'api-key' },
      { path: '/signed', methods: ['GET'], auth: 'iam' },
      { path: '/members', methods: ['GET'], auth: 'cognito', requiredQuery: ['page'], requiredHeaders: ['X-Trace'] },
      { path: '/reports/{id}', methods: ['GET'], target: 'arn:aws:lambda:eu-west-1:123456789012:function:reports' },
      { path: '/exports/{proxy+}', methods: ['ANY'], target: 'arn:aws:lambda:eu-west-1:123456789012:function:exports' },
      { path: '/stub', methods: ['GET'], target: 'mock' },
    ],
    {
      cognitoUserPoolArn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc',
      apiKeys: ['partner', 'mobile-app'],
      usagePlan: { quota: { limit: 1000, period: 'DAY' } },
    },
  );
  const props = (id: string) => template.Resources[id].Properties!;

  it('maps auth kinds to the method authorization', () => {
    expect(props('OpenGetMethod')).toMatchObject({ AuthorizationType: 'NONE' });
    expect(props('OpenGetMethod').ApiKeyRequired).toBeUndefined();
    expect(props('KeyedPostMethod')).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(props('SignedGetMethod')).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    expect(props('MembersGetMethod')).toMatchObject({
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: 'CognitoAuthorizer' },
    });
    expect(single(template, 'AWS::ApiGateway::Authorizer').Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      ProviderARNs: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc'],
    });
  });

  it('ties one key per name to a throttled usage plan on the stage', () => {
    expect(single(template, 'AWS::ApiGateway::UsagePlan').Properties).toMatchObject({
      ApiStages: [{ ApiId: { Ref: 'Api' }, Stage: { Ref: 'Stage' } }],
      Throttle: { RateLimit: 50, BurstLimit: 100 },
      Quota: { Limit: 1000, Period: 'DAY' },
    });
    expect(Object.keys(ofType(template, 'AWS::ApiGateway::ApiKey'))).toEqual(['PartnerApiKey', 'MobileAppApiKey']);
    expect(Object.values(ofType(template, 'AWS::ApiGateway::UsagePlanKey')).map((k) => k.Properties!.KeyId)).toEqual([
      { Ref: 'PartnerApiKey' },
      { Ref: 'MobileAppApiKey' },
    ]);
    expect(template.Outputs!.ApiKeyIds).toBeDefined();
    expect(ofType(withRoutes([{ path: '/open' }]), 'AWS::ApiGateway::UsagePlan')).toEqual({});
  });

  it('validates the required query strings and headers before forwarding', () => {
    expect(props('MembersGetMethod')).toMatchObject({
      RequestValidatorId: { Ref: 'RequestValidator' },
      RequestParameters: { 'method.request.querystring.page': true, 'method.request.header.X-Trace': true },
    });
    expect(single(template, 'AWS::ApiGateway::RequestValidator').Properties).toMatchObject({
      ValidateRequestParameters: true,
    });
    expect(props('OpenGetMethod').RequestValidatorId).toBeUndefined();
  });

  it('invokes a Lambda target as AWS_PROXY and lets API Gateway call it for that method only', () => {
    expect(integrationOf(template, 'ReportsIdGetMethod')).toEqual({
      Type: 'AWS_PROXY',
      IntegrationHttpMethod: 'POST',
      Uri: {
        'Fn::Sub':
          'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:reports/invocations',
      },
    });
    const sourceArn = (id: string) => (props(id).SourceArn as { 'Fn::Sub': string })['Fn::Sub'];
    expect(sourceArn('ReportsIdGetMethodPermission')).toMatch(/:\$\{Api\}\/\*\/GET\/reports\/\*$/);
    expect(sourceArn('ExportsProxyAnyMethodPermission')).toMatch(/:\$\{Api\}\/\*\/\*\/exports\/\*$/);
    expect(props('ReportsIdGetMethodPermission')).toMatchObject({
      Principal: 'apigateway.amazonaws.com',
      Action: 'lambda:InvokeFunction',
    });
  });

  it('answers a mock route with a fixed 200', () => {
    expect(integrationOf(template, 'StubGetMethod')).toMatchObject({
      Type: 'MOCK',
      IntegrationResponses: [{ StatusCode: '200' }],
    });
    expect(props('StubGetMethod').MethodResponses).toEqual([{ StatusCode: '200' }]);
  });
});

describe('api: deployment and stage', () => {
  it('the deployment depends on every method', () => {
    const template = renderStack(configOf(sampleInput));
    expect([...(deploymentOf(template).deployment.DependsOn as string[])].sort()).toEqual(
      Object.keys(methods(template)).sort(),
    );
  });

  it('the deployment id changes when a route changes, and only then', () => {
    const base = deploymentOf(renderStack(configOf(sampleInput))).id;
    expect(deploymentOf(renderStack(configOf(sampleInput))).id).toBe(base);
    // Changes elsewhere (service, network, stage settings) do not redeploy the API.
    expect(
      deploymentOf(renderStack(configOf(sampleInput, { service: { port: 9090 }, network: { natGateways: 2 } }))).id,
    ).toBe(base);
    expect(
      deploymentOf(renderStack(configOf(sampleInput, { api: { ...sampleInput.api, throttling: { rateLimit: 5 } } })))
        .id,
    ).toBe(base);

    const routes = sampleInput.api!.routes!;
    const changed = [
      [...routes, { path: '/teams', methods: ['GET'] as const }],
      routes.map((r, i) => (i === 0 ? { ...r, methods: ['GET', 'HEAD'] as const } : r)),
      routes.map((r, i) => (i === 0 ? { ...r, auth: 'iam' as const } : r)),
      routes.map((r, i) => (i === 0 ? { ...r, requiredQuery: ['page'] } : r)),
    ];
    for (const variant of changed) {
      const id = deploymentOf(renderStack(configOf(sampleInput, { api: { routes: variant as Routes } }))).id;
      expect(id).toMatch(/^Deployment[0-9a-f]{10}$/);
      expect(id).not.toBe(base);
    }
  });

  it('the deployment id changes when the VPC link or the load balancer behind the integrations is replaced', () => {
    const idWith = (input: Parameters<typeof configOf>[1]) =>
      deploymentOf(renderStack(configOf(sampleInput, input))).id;
    const base = idWith({});
    // A new VPC block replaces the VPC, its subnets, the load balancer and the link: same Refs, new resources.
    expect(idWith({ network: { cidr: '10.41.0.0/16' } })).not.toBe(base);
    expect(idWith({ api: { ...sampleInput.api, vpcLink: 'v1' } })).not.toBe(base);
    const existing = (privateSubnetIds: string[]) =>
      idWith({ network: { existing: { vpcId: 'vpc-0a1b0a1b', privateSubnetIds } } });
    expect(existing(['subnet-0a0a0a0a', 'subnet-0b0b0b0b'])).not.toBe(existing(['subnet-0a0a0a0a', 'subnet-0c0c0c0c']));
  });

  it('the stage logs access as JSON, records metrics and throttles as configured', () => {
    const template = withApi({ stage: 'live', throttling: { rateLimit: 20, burstLimit: 40 }, tracing: true });
    const stage = single(template, 'AWS::ApiGateway::Stage').Properties;
    expect(stage).toMatchObject({
      StageName: 'live',
      TracingEnabled: true,
      DeploymentId: { Ref: deploymentOf(template).id },
    });
    expect(stage.MethodSettings).toEqual([
      expect.objectContaining({
        MetricsEnabled: true,
        LoggingLevel: 'INFO',
        ThrottlingRateLimit: 20,
        ThrottlingBurstLimit: 40,
      }),
    ]);
    const access = stage.AccessLogSetting as { DestinationArn: unknown; Format: string };
    expect(access.DestinationArn).toEqual({ 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] });
    expect(JSON.parse(access.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    expect(
      single(withApi({ accessLogs: false }), 'AWS::ApiGateway::Stage').Properties.AccessLogSetting,
    ).toBeUndefined();
  });

  it('creates the execution log group itself, with retention, before the stage can log to it', () => {
    const template = withApi({ stage: 'v1' });
    expect(template.Resources.ApiExecutionLogGroup.Properties).toEqual({
      LogGroupName: { 'Fn::Sub': 'API-Gateway-Execution-Logs_${Api}/v1' },
      RetentionInDays: 30,
      Tags: expect.any(Array) as unknown,
    });
    expect(single(template, 'AWS::ApiGateway::Stage').DependsOn).toEqual(['ApiExecutionLogGroup']);
  });

  it('optionally sets the account CloudWatch role first, a WAF web ACL and a custom domain', () => {
    const template = withApi({
      cloudWatchRole: true,
      wafWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
      domain: {
        name: 'quiz.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        basePath: 'v1',
      },
    });
    expect(single(template, 'AWS::ApiGateway::Stage').DependsOn).toContain('ApiGatewayAccount');
    expect(single(template, 'AWS::ApiGateway::Account').Properties.CloudWatchRoleArn).toEqual({
      'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'],
    });
    expect(single(template, 'AWS::WAFv2::WebACLAssociation').Properties.WebACLArn).toBe(
      'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/abc',
    );
    expect(single(template, 'AWS::ApiGateway::DomainName').Properties).toMatchObject({
      DomainName: 'quiz.example.com',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    expect(single(template, 'AWS::ApiGateway::BasePathMapping').Properties).toMatchObject({
      BasePath: 'v1',
      Stage: { Ref: 'Stage' },
    });
    const plain = renderStack(configOf(minimalInput));
    for (const type of ['AWS::ApiGateway::Account', 'AWS::WAFv2::WebACLAssociation', 'AWS::ApiGateway::DomainName'])
      expect(ofType(plain, type)).toEqual({});
  });

  it('outputs the invoke URL of the stage', () => {
    expect(renderStack(configOf(minimalInput)).Outputs!.ApiUrl.Value).toEqual({
      'Fn::Sub': 'https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}',
    });
  });
});
