// Logical ids of the API layer that more than one of its modules refers to. One name each, so a
// rename cannot leave a dangling Ref behind.
export const REST_API = 'Api';
export const STAGE = 'Stage';
export const API_DOMAIN_NAME = 'ApiDomainName';
export const COGNITO_AUTHORIZER = 'CognitoAuthorizer';
export const REQUEST_VALIDATOR = 'RequestValidator';
export const USAGE_PLAN = 'UsagePlan';
