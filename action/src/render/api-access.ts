// Who may call the API: the Cognito authorizer, the request validator, and, for api-key routes,
// the usage plan (throttling, optional quota) with its keys.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import { pascal } from '../naming.js';
import { ref, sub, type Resources } from './intrinsics.js';
import { effectiveRoutes } from './routes.js';
import { COGNITO_AUTHORIZER, REQUEST_VALIDATOR, REST_API, USAGE_PLAN } from './api-ids.js';

export interface AccessRefs {
  authorizerId?: Value;
  requestValidatorId?: Value;
  apiKeyIds: Value[];
}

export interface AccessLayer {
  resources: Resources;
  access: AccessRefs;
}

/** Authorizer and validator: what methods reference, so rendered before them. */
export function renderAccess(config: Config): AccessLayer {
  const routes = effectiveRoutes(config);
  const resources: Resources = {};
  const access: AccessRefs = { apiKeyIds: [] };
  if (routes.some((r) => r.auth === 'cognito') && config.api.cognitoUserPoolArn) {
    resources[COGNITO_AUTHORIZER] = {
      Type: 'AWS::ApiGateway::Authorizer',
      Properties: {
        RestApiId: ref(REST_API),
        Name: 'cognito',
        Type: 'COGNITO_USER_POOLS',
        ProviderARNs: [config.api.cognitoUserPoolArn],
        IdentitySource: 'method.request.header.Authorization',
      },
    };
    access.authorizerId = ref(COGNITO_AUTHORIZER);
  }
  if (routes.some((r) => r.requiredQuery.length + r.requiredHeaders.length > 0)) {
    resources[REQUEST_VALIDATOR] = {
      Type: 'AWS::ApiGateway::RequestValidator',
      Properties: {
        RestApiId: ref(REST_API),
        Name: 'parameters',
        ValidateRequestParameters: true,
        ValidateRequestBody: false,
      },
    };
    access.requestValidatorId = ref(REQUEST_VALIDATOR);
  }
  return { resources, access };
}

/** The usage plan for api-key routes: it ties the keys to the stage and throttles each key. */
export function renderUsagePlan(config: Config, stage: Value): AccessLayer {
  if (!effectiveRoutes(config).some((r) => r.auth === 'api-key')) return { resources: {}, access: { apiKeyIds: [] } };
  const { throttling, usagePlan } = config.api;
  const plan: Record<string, Value> = {
    Description: sub('${AWS::StackName}: keys for the api-key routes'),
    ApiStages: [{ ApiId: ref(REST_API), Stage: stage }],
    Throttle: { RateLimit: throttling.rateLimit, BurstLimit: throttling.burstLimit },
  };
  if (usagePlan.quota) plan.Quota = { Limit: usagePlan.quota.limit, Period: usagePlan.quota.period };
  const resources: Resources = { [USAGE_PLAN]: { Type: 'AWS::ApiGateway::UsagePlan', Properties: plan } };
  const apiKeyIds: Value[] = [];
  for (const name of config.api.apiKeys) {
    const key = `${pascal(name)}ApiKey`;
    // API key names need not be unique, so naming them after the stack costs nothing.
    resources[key] = {
      Type: 'AWS::ApiGateway::ApiKey',
      Properties: { Name: sub(`\${AWS::StackName}-${name}`), Enabled: true },
    };
    resources[`${key}UsagePlanKey`] = {
      Type: 'AWS::ApiGateway::UsagePlanKey',
      Properties: { UsagePlanId: ref(USAGE_PLAN), KeyId: ref(key), KeyType: 'API_KEY' },
    };
    apiKeyIds.push(ref(key));
  }
  return { resources, access: { apiKeyIds } };
}
