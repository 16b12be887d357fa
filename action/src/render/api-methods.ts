// The REST API's resources and methods, one method per route and HTTP method, each integrated with
// the service (through the VPC link), a Lambda function, or a mock.
import type { Config, Route } from '../config/schema.js';
import type { Resource, Value } from './template.js';
import type { LoadBalancerRefs } from './load-balancer.js';
import type { VpcLinkRefs } from './vpc-link.js';
import { pascal } from '../naming.js';
import { REST_API } from './api-ids.js';
import { getAtt, join, ref, sub, type Resources } from './intrinsics.js';
import { arnPath, backendPath, effectiveRoutes, parsePath, PathNames, pathParams, resourcePaths } from './routes.js';

export interface MethodInputs {
  loadBalancer: LoadBalancerRefs;
  vpcLink: VpcLinkRefs;
  /** The Cognito authorizer, when a route uses `auth: cognito`. */
  authorizerId?: Value;
  /** The parameter validator, when a route requires query strings or headers. */
  requestValidatorId?: Value;
}

export interface MethodsLayer {
  resources: Resources;
  /** Logical ids of every method: the deployment must depend on each. */
  methodIds: string[];
}

export function renderMethods(config: Config, inputs: MethodInputs): MethodsLayer {
  const routes = effectiveRoutes(config);
  const names = new PathNames();
  const resourceId = (path: string): Value =>
    parsePath(path).length === 0 ? getAtt(REST_API, 'RootResourceId') : ref(`${names.name(path)}Resource`);

  const resources: Resources = {};
  for (const path of resourcePaths(routes)) {
    const segments = parsePath(path);
    const last = segments.at(-1);
    if (!last) continue; // the root resource comes with the REST API
    const parent =
      '/' +
      segments
        .slice(0, -1)
        .map((s) => s.part)
        .join('/');
    resources[`${names.name(path)}Resource`] = {
      Type: 'AWS::ApiGateway::Resource',
      Properties: {
        RestApiId: ref(REST_API),
        ParentId: resourceId(parent),
        PathPart: last.part,
      },
    };
  }
  const methodIds: string[] = [];
  for (const route of routes) {
    for (const httpMethod of route.methods) {
      const id = `${names.name(route.path)}${pascal(httpMethod.toLowerCase())}Method`;
      resources[id] = method(route, httpMethod, resourceId(route.path), inputs);
      methodIds.push(id);
      if (route.target !== 'service' && route.target !== 'mock') {
        resources[`${id}Permission`] = lambdaPermission(route, httpMethod, route.target);
      }
    }
  }
  return { resources, methodIds };
}

const AUTHORIZATION = { none: 'NONE', 'api-key': 'NONE', iam: 'AWS_IAM', cognito: 'COGNITO_USER_POOLS' } as const;

function method(route: Route, httpMethod: string, resourceId: Value, inputs: MethodInputs): Resource {
  const properties: Record<string, Value> = {
    RestApiId: ref(REST_API),
    ResourceId: resourceId,
    HttpMethod: httpMethod,
    AuthorizationType: AUTHORIZATION[route.auth],
  };
  if (route.auth === 'cognito') {
    if (!inputs.authorizerId)
      throw new Error(`route ${route.path} uses auth: cognito, but api.cognitoUserPoolArn is not set`);
    properties.AuthorizerId = inputs.authorizerId;
  }
  if (route.auth === 'api-key') properties.ApiKeyRequired = true;

  const required: Record<string, Value> = {};
  for (const name of pathParams(route.path)) required[`method.request.path.${name}`] = true;
  for (const name of route.requiredQuery) required[`method.request.querystring.${name}`] = true;
  for (const name of route.requiredHeaders) required[`method.request.header.${name}`] = true;
  if (Object.keys(required).length > 0) properties.RequestParameters = required;
  if (route.requiredQuery.length + route.requiredHeaders.length > 0 && inputs.requestValidatorId) {
    properties.RequestValidatorId = inputs.requestValidatorId;
  }

  if (route.target === 'service') properties.Integration = serviceIntegration(route, httpMethod, inputs);
  else if (route.target === 'mock') Object.assign(properties, mockIntegration());
  else properties.Integration = lambdaIntegration(route.target);
  return { Type: 'AWS::ApiGateway::Method', Properties: properties };
}

/**
 * HTTP_PROXY through the VPC link to the load balancer, sending the backend the route's own path.
 * AWS's page on REST API private integrations says, under Considerations, that API Gateway
 * includes the stage in the request to the backend (stage `test` sends `test/path`) and that
 * parameter mapping overriding the path (`$context.requestOverride.path`) removes it:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/private-integration.html
 * For REST APIs, parameter mapping overrides the integration path through the path parameters of
 * the integration Uri (`integration.request.path.<name>` from `method.request.path.<name>`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html);
 * REST has no whole-path target like HTTP APIs' `overwrite:path`. So the Uri spells out the route's
 * path and every parameter is mapped: the path sent is this override (`/quizzes/42`), not the
 * request's `/prod/quizzes/42`. A greedy `{proxy+}` becomes `{proxy}` in the Uri and carries the
 * rest of the path, slashes included. A v1 link gets the same Uri: that page is the parent of the
 * v1 (legacy) pages, which say nothing else about the stage. Whether AWS still puts the stage in
 * front cannot be checked from here, so the task also gets API_STAGE_PREFIX to strip it
 * (stage-prefix.ts), and the smoke test names the mismatch when the app answers 404.
 */
function serviceIntegration(route: Route, httpMethod: string, { loadBalancer, vpcLink }: MethodInputs): Value {
  const integration: Record<string, Value> = {
    Type: 'HTTP_PROXY',
    IntegrationHttpMethod: httpMethod,
    ConnectionType: 'VPC_LINK',
    ConnectionId: vpcLink.id,
  };
  if (vpcLink.integrationTarget !== undefined) integration.IntegrationTarget = vpcLink.integrationTarget;
  integration.Uri = join('', [
    'http://',
    loadBalancer.dnsName,
    `:${loadBalancer.listenerPort}${backendPath(route.path)}`,
  ]);
  const mapped: Record<string, Value> = {};
  for (const name of pathParams(route.path)) mapped[`integration.request.path.${name}`] = `method.request.path.${name}`;
  if (Object.keys(mapped).length > 0) integration.RequestParameters = mapped;
  return integration;
}

function lambdaIntegration(functionArn: string): Value {
  return {
    Type: 'AWS_PROXY',
    // Lambda is always invoked with POST, whatever the client's method.
    IntegrationHttpMethod: 'POST',
    Uri: sub(
      `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
    ),
  };
}

/** A fixed 200 with an empty JSON body: a stub for a route whose backend does not exist yet. */
function mockIntegration(): Record<string, Value> {
  return {
    Integration: {
      Type: 'MOCK',
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{}' } }],
    },
    MethodResponses: [{ StatusCode: '200' }],
  };
}

/** Lets API Gateway invoke the function for this method and path only. */
function lambdaPermission(route: Route, httpMethod: string, functionArn: string): Resource {
  const verb = httpMethod === 'ANY' ? '*' : httpMethod;
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: functionArn,
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: sub(
        `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${REST_API}}/*/${verb}${arnPath(route.path)}`,
      ),
    },
  };
}
