// Phases "change set" → "review" → "execute" → "follow" → "verify": the deploy engine does the
// stack work; this module turns the inputs into its request and runs the smoke test after it.
import { deleteStack, deployStack, joinUrl, smokeTest, type DeployClients, type DeployResult, type SmokeResult } from '../deploy/index.js';
import { IMAGE_PARAMETER, OUTPUTS } from '../render/template.js';
import type { Reporter } from '../reporter.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';

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

export async function deployRendered(
  clients: DeployClients,
  inputs: Inputs,
  rendered: Rendered,
  imageUri: string,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<DeployResult> {
  return deployStack(
    clients,
    {
      stackName: rendered.stackName,
      // Compact JSON: the smallest body, so more stacks fit the 51,200-byte inline limit.
      templateBody: JSON.stringify(rendered.template),
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
    },
    reporter,
  );
}

/** Calls the API through API Gateway; undefined when the smoke test is switched off. */
export async function verify(
  inputs: Inputs,
  rendered: Rendered,
  result: DeployResult,
  reporter: Reporter,
  signal: AbortSignal,
): Promise<(SmokeResult & { url: string }) | undefined> {
  const path = inputs['smoke-path'] === 'auto' ? rendered.config.service.healthCheckPath : inputs['smoke-path'];
  const apiUrl = result.outputs[OUTPUTS.apiUrl];
  if (!path) {
    reporter.info('Smoke test skipped (smoke-path is empty).');
    return undefined;
  }
  if (!apiUrl) throw new Error(`Stack ${rendered.stackName} has no ${OUTPUTS.apiUrl} output to smoke-test.`);
  const url = joinUrl(apiUrl, path);
  const timeoutSeconds = Math.min(SMOKE_LIMIT_SECONDS, inputs['timeout-minutes'] * 60);
  return { url, ...(await smokeTest(url, { timeoutSeconds, signal }, reporter)) };
}

export async function deleteRendered(clients: DeployClients, inputs: Inputs, stackName: string, reporter: Reporter, signal: AbortSignal) {
  return deleteStack(
    clients,
    { stackName, timeoutMinutes: inputs['timeout-minutes'], roleArn: inputs['role-arn'] || undefined, signal },
    reporter,
  );
}
