// Every role the app stack creates carries a permissions boundary: the bootstrap's execution role
// may create roles only with it, and the boundary caps what any of them can do. The policy is a
// stack parameter (its path and name in this account), defaulting to the bootstrap's.
import type { Config } from '../config/schema.js';
import type { Parameter } from './template.js';
import type { Resources } from './intrinsics.js';
import { BOOTSTRAP_PATH, boundaryPolicyName } from './bootstrap-boundary.js';
import { sub } from './intrinsics.js';

export const BOUNDARY_PARAMETER = 'PermissionsBoundaryPolicy';

/** `<path>/<name>` of the boundary policy: the config's ARN, else the bootstrap's; undefined for `none`. */
export function boundaryPolicy(config: Config): string | undefined {
  if (config.permissionsBoundary === 'none') return undefined;
  if (config.permissionsBoundary)
    return config.permissionsBoundary.slice(config.permissionsBoundary.indexOf(':policy/') + 8);
  return `${BOOTSTRAP_PATH.slice(1)}${boundaryPolicyName(config.name)}`;
}

export function boundaryParameters(config: Config): Record<string, Parameter> {
  const policy = boundaryPolicy(config);
  if (!policy) return {};
  return {
    [BOUNDARY_PARAMETER]: {
      Type: 'String',
      Default: policy,
      AllowedPattern: '^[\\w+=,.@/-]+$',
      Description:
        "Permissions boundary of the stack's roles: the policy's path and name in this account (the bootstrap's by default)",
    },
  };
}

/** The resources with the boundary set on each IAM role. */
export function withPermissionsBoundary(resources: Resources, config: Config): Resources {
  if (!boundaryPolicy(config)) return resources;
  const boundary = sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/\${${BOUNDARY_PARAMETER}}`);
  return Object.fromEntries(
    Object.entries(resources).map(([id, resource]) =>
      resource.Type === 'AWS::IAM::Role'
        ? [id, { ...resource, Properties: { ...resource.Properties, PermissionsBoundary: boundary } }]
        : [id, resource],
    ),
  );
}
