// The stage prefix the task may see in front of its paths. AWS documents that a private
// integration sends the backend `<stage>/<path>` unless the path is overridden (see
// serviceIntegration in api-methods.ts); the rendered integration overrides it, and this variable
// lets the app strip the prefix too, so a route answers whichever path API Gateway sends.
import type { Config } from '../config/schema.js';

export const STAGE_PREFIX_VARIABLE = 'API_STAGE_PREFIX';

/** `{ API_STAGE_PREFIX: '/prod' }`, unless the config sets the variable itself (empty turns it off). */
export function stagePrefixEnvironment(config: Config): Record<string, string> {
  const { environment, secrets } = config.service;
  if (STAGE_PREFIX_VARIABLE in environment || STAGE_PREFIX_VARIABLE in secrets) return {};
  return { [STAGE_PREFIX_VARIABLE]: `/${config.api.stage}` };
}
