// Phases "change set" → "review" → "execute" → "follow" → "verify": the deploy engine does the
// stack work; this module turns the inputs into its request and runs the smoke test after it.
import type { Config, Route } from '../config/schema.js';
import {
  deleteStack,
  deployStack,
  joinUrl,
  smokeTest,
  type DeployClients,
  type DeployResult,
  type SmokeResult,
  type StackRead,
} from '../deploy/index.js';
import { effectiveRoutes, parsePath, type Segment } from '../render/routes.js';
import type { DeployedStack } from '../plan/review.js';
import { IMAGE_PARAMETER, OUTPUTS } from '../render/template.js';
import type { Reporter } from '../reporter.js';
import { withoutForeignExecutionLogGroup } from './execution-log-group.js';
import { waiterFor } from '../deploy/clients.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';
import { stageMismatchExplainer } from './stage-mismatch.js';

/** Longest the smoke test keeps trying, within the step's timeout. */
const SMOKE_LIMIT_SECONDS = 300;

export function stackTags(inputs: Inputs, rendered: Rendered): Record<string, string> {
  return {
    ...rendered.config.tags,
    Project: rendered.config.name,
    ...(inputs.environment ? { Environment: inputs.environment } : {}),
    ...inputs.tags,
  };
}

/**
 * The stack as the review read it (DescribeStacks, and GetTemplate when settled): the deploy
 * reads nothing again that this answers. CloudFormation's read budget is shared by every deploy
 * in the account and Region, so each read saved is a poll another deploy can make.
 */
export interface StackAsRead extends StackRead {
  /** Its deployed template and parameters, when it was settled and readable. */
  deployed?: DeployedStack;
}

export async function deployRendered(
  clients: DeployClients,
  inputs: Inputs,
  rendered: Rendered,
  imageUri: string,
  reporter: Reporter,
  signal: AbortSignal,
  asRead?: StackAsRead,
): Promise<DeployResult> {
  // At most two reads before the change set: a minute at most, paced like the engine's own.
  const lookups = waiterFor(clients, Math.min(1, inputs['timeout-minutes']), reporter, signal);
  const template = await withoutForeignExecutionLogGroup(
    clients.cloudFormation,
    lookups,
    rendered.stackName,
    rendered.template,
    reporter,
    asRead,
  );
  const result = await deployStack(
    clients,
    {
      stackName: rendered.stackName,
      // The same bytes as the template-path file, unless an older stack's execution log group had
      // to be left out of it.
      templateBody: template === rendered.template ? rendered.templateBody : JSON.stringify(template),
      parameters: { ...inputs['parameter-overrides'], [IMAGE_PARAMETER]: imageUri },
      tags: stackTags(inputs, rendered),
      roleArn: inputs['role-arn'] || undefined,
      s3Bucket: inputs['s3-bucket'] || undefined,
      mode: inputs.mode === 'plan' ? 'plan' : 'deploy',
      timeoutMinutes: inputs['timeout-minutes'],
      failOnEmptyChangeset: inputs['fail-on-empty-changeset'],
      deleteFailedStack: inputs['delete-failed-stack'],
      terminationProtection: inputs['termination-protection'],
      signal,
      lastRead: asRead,
    },
    reporter,
  );
  if (inputs.mode === 'deploy' && !result.outputs[OUTPUTS.apiUrl]) {
    reporter.warning(
      `Stack ${rendered.stackName} has no ${OUTPUTS.apiUrl} output, so api-url is empty and there is nothing to smoke-test. Its outputs: ${Object.keys(result.outputs).join(', ') || 'none'}.`,
    );
  }
  return result;
}

/** Calls the API through API Gateway; undefined when there is no smoke test (smoke-path empty, or auto finds no route). */
export async function verify(
  inputs: Inputs,
  rendered: Rendered,
  result: DeployResult,
  reporter: Reporter,
  signal: AbortSignal,
  /** Reads the target group's health when the API answers 404, to name a stage-prefix mismatch. */
  clients?: Pick<DeployClients, 'cloudFormation' | 'elbv2'>,
): Promise<(SmokeResult & { url: string }) | undefined> {
  const target = smokePath(inputs['smoke-path'], rendered.config);
  const apiUrl = result.outputs[OUTPUTS.apiUrl];
  if ('skip' in target) {
    reporter.info(`Smoke test skipped: ${target.skip}.`);
    return undefined;
  }
  if (!apiUrl) throw new Error(`Stack ${rendered.stackName} has no ${OUTPUTS.apiUrl} output to smoke-test.`);
  const url = joinUrl(apiUrl, target.path);
  const timeoutSeconds = Math.min(SMOKE_LIMIT_SECONDS, inputs['timeout-minutes'] * 60);
  const explainNotFound = clients
    ? stageMismatchExplainer(clients, rendered.stackName, rendered.config, target.path, reporter, signal)
    : undefined;
  return { url, ...(await smokeTest(url, { timeoutSeconds, signal, explainNotFound }, reporter)) };
}

/**
 * The path the smoke test calls, or why there is none. `auto` is the health check path, but only
 * when the API routes GET on it to the service without auth: for a path no route serves, API
 * Gateway answers 403 (Missing Authentication Token) however healthy the service is.
 */
export function smokePath(input: string, config: Config): { path: string } | { skip: string } {
  if (!input) return { skip: 'smoke-path is empty' };
  if (input !== 'auto') return { path: input };
  const health = config.service.healthCheckPath;
  const route = routeFor(effectiveRoutes(config), health, 'GET');
  const open =
    route?.auth === 'none' &&
    route.target === 'service' &&
    route.requiredQuery.length + route.requiredHeaders.length === 0;
  if (open) return { path: health };
  return {
    skip: `smoke-path is auto, but no route of the API sends GET ${health} (the health check path) to the service without auth; set smoke-path to a path it does`,
  };
}

/** The route API Gateway picks: the most specific resource (literal before {param} before {greedy+}), then the method on it. */
function routeFor(routes: Route[], path: string, method: Route['methods'][number]): Route | undefined {
  const parts = path.split('/').filter(Boolean);
  let best: { path: string; rank: number[] } | undefined;
  for (const route of routes) {
    const rank = matchRank(parsePath(route.path), parts);
    if (rank && (!best || isMoreSpecific(rank, best.rank))) best = { path: route.path, rank };
  }
  const onResource = routes.filter((route) => route.path === best?.path);
  return (
    onResource.find((route) => route.methods.includes(method)) ??
    onResource.find((route) => route.methods.includes('ANY'))
  );
}

/** Per segment 0 (literal), 1 ({param}) or 2 ({greedy+}); undefined when the route does not match the path. */
function matchRank(segments: Segment[], parts: string[]): number[] | undefined {
  const rank: number[] = [];
  for (const [i, segment] of segments.entries()) {
    if (segment.greedy) return parts.length > i ? [...rank, 2] : undefined;
    if (i >= parts.length || (segment.param === undefined && segment.part !== parts[i])) return undefined;
    rank.push(segment.param === undefined ? 0 : 1);
  }
  return segments.length === parts.length ? rank : undefined;
}

const isMoreSpecific = (a: number[], b: number[]) => {
  const i = a.findIndex((kind, j) => kind !== b[j]);
  const [mine, theirs] = [a[i], b[i]];
  return mine !== undefined && theirs !== undefined && mine < theirs;
};

export async function deleteRendered(
  clients: DeployClients,
  inputs: Inputs,
  stackName: string,
  reporter: Reporter,
  signal: AbortSignal,
) {
  return deleteStack(
    clients,
    { stackName, timeoutMinutes: inputs['timeout-minutes'], roleArn: inputs['role-arn'] || undefined, signal },
    reporter,
  );
}
