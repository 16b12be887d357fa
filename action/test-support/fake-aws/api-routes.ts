// Which method of a deployed REST API answers a request, as API Gateway picks it: per path
// segment a literal child before a {param} child before a {greedy+} one, then the HTTP method
// before ANY. What no method serves, or only with auth, is refused the way AWS refuses it, so a
// smoke test of a path the routes do not cover fails here as it would on AWS.
import type { ResourceState, Stack } from './stack.js';

export interface Refusal {
  status: number;
  message: string;
}

const MISSING = { status: 403, message: 'Missing Authentication Token' };

/** undefined when an open method forwards the request; otherwise API Gateway's own answer. */
export function refusal(stack: Stack, apiId: string, path: string, method: string): Refusal | undefined {
  const resources = [...stack.resources.values()];
  const api = resources.find((r) => r.type === 'AWS::ApiGateway::RestApi' && r.physicalId === apiId);
  let current = api?.attributes.get('RootResourceId');
  for (const part of path.split('/').filter(Boolean)) {
    const children = resources.filter(
      (r) => r.type === 'AWS::ApiGateway::Resource' && r.properties.ParentId === current,
    );
    const pathPart = (r: ResourceState) => String(r.properties.PathPart);
    const greedy = children.find((r) => pathPart(r).endsWith('+}'));
    const next =
      children.find((r) => pathPart(r) === part) ?? children.find((r) => /^\{[^+]+\}$/.test(pathPart(r))) ?? greedy;
    if (!next) return MISSING;
    current = next.physicalId;
    if (next === greedy) break;
  }
  const methods = resources.filter((r) => r.type === 'AWS::ApiGateway::Method' && r.properties.ResourceId === current);
  const chosen =
    methods.find((r) => r.properties.HttpMethod === method) ?? methods.find((r) => r.properties.HttpMethod === 'ANY');
  if (!chosen) return MISSING;
  const open = (chosen.properties.AuthorizationType ?? 'NONE') === 'NONE' && chosen.properties.ApiKeyRequired !== true;
  return open ? undefined : { status: 403, message: 'Forbidden' };
}
