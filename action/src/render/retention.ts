// What survives a stack delete: the table and every log group are kept (DeletionPolicy and
// UpdateReplacePolicy Retain) so an accidental delete or replacement loses no data, except in the
// environments the config names in retention.deleteWithStack (previews), which clean up after
// themselves. The log groups still expire their events after the configured retention.
import type { Config } from '../config/schema.js';
import type { Resources } from './intrinsics.js';

/** Resource types that hold data a team expects to keep. */
export const STATEFUL_TYPES = new Set(['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup']);

/** Whether a pattern of retention.deleteWithStack (`*` = any characters) names the environment. */
export function matchesEnvironment(pattern: string, environment: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(environment);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when the stack's data goes with it: only for an environment the config lists. A stack
 * deployed without an environment always keeps its data.
 */
export function deletesDataWithStack(config: Config, environment: string | undefined): boolean {
  if (!environment) return false;
  return config.retention.deleteWithStack.some((pattern) => matchesEnvironment(pattern, environment));
}

/** Sets both policies on every stateful resource: Retain by default, Delete when the environment opts out. */
export function applyRetention(resources: Resources, deleteWithStack: boolean): Resources {
  const policy = deleteWithStack ? 'Delete' : 'Retain';
  return Object.fromEntries(
    Object.entries(resources).map(([id, resource]) => [
      id,
      STATEFUL_TYPES.has(resource.Type)
        ? { ...resource, DeletionPolicy: policy, UpdateReplacePolicy: policy }
        : resource,
    ]),
  );
}
