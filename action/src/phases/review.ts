// Phase "review": read the deployed stack (template, image, termination protection), check it for
// drift, create the change set through the deploy engine, and turn it all into the reviewer's view
// (risks, API users, security, cost, drift) that the log, the summary and the PR comment show.
import {
  DescribeStacksCommand,
  GetTemplateCommand,
  type CloudFormationClient,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import type { DeployClients, DeployResult } from '../deploy/index.js';
import type { Waiter } from '../deploy/wait.js';
import { waiterFor } from '../deploy/clients.js';
import { requestHandler } from '../deploy/aws-config.js';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { detectDrift, driftLines, type DriftResult } from '../plan/drift.js';
import { imageCommits } from '../plan/image-commits.js';
import { reviewText } from '../plan/format.js';
import { buildReview, type PlanReview } from '../plan/review.js';
import { parseTemplateBody } from '../plan/template-view.js';
import { IMAGE_PARAMETER } from '../render/template.js';
import type { Reporter } from '../reporter.js';
import { deployRendered, type StackAsRead } from './deploy.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';

/** Reading the deployed stack and detecting drift take seconds; they never get the whole step's time. */
const REVIEW_LIMIT_MINUTES = 5;

/** Stack states whose template and resources are what is deployed (drift detection works on them). */
const SETTLED = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE)$/;

export class DriftError extends Error {
  override readonly name = 'DriftError';
}

export async function deployWithReview(
  clients: DeployClients,
  inputs: Inputs,
  rendered: Rendered,
  imageUri: string,
  reporter: Reporter,
  signal: AbortSignal,
  options: { ecr?: (region: string) => Promise<ECRClient>; repositoryUrl?: string } = {},
): Promise<{ result: DeployResult; review: PlanReview }> {
  const minutes = Math.min(REVIEW_LIMIT_MINUTES, inputs['timeout-minutes']);
  const waiter = waiterFor(clients, minutes, reporter, signal);
  let asRead: StackAsRead | undefined;
  let deployedUnreadable: string | undefined;
  try {
    asRead = await readDeployed(clients.cloudFormation, waiter, rendered.stackName, signal);
  } catch (error) {
    // A plan role without GetTemplate still gets its change set; the review says what it lacks.
    if (signal.aborted) throw error;
    deployedUnreadable = (error as Error).message;
    reporter.warning(`Could not read the deployed stack ${rendered.stackName} for the review: ${deployedUnreadable}`);
  }
  const deployed = asRead?.deployed;
  const drift = deployed ? await checkDrift(clients, inputs, rendered.stackName, reporter, signal, minutes) : undefined;
  const result = await deployRendered(clients, inputs, rendered, imageUri, reporter, signal, asRead);
  const commits = await imageCommits(
    options.ecr ??
      (async (region) =>
        new (await import('@aws-sdk/client-ecr')).ECRClient({ region, requestHandler: requestHandler(signal) })),
    { before: deployed?.parameters[IMAGE_PARAMETER], after: imageUri },
    signal,
  );
  const { GITHUB_SERVER_URL: server = 'https://github.com', GITHUB_REPOSITORY: repository } = process.env;
  const repositoryUrl = options.repositoryUrl ?? (repository ? `${server}/${repository}` : '');
  const review = buildReview({
    stackName: rendered.stackName,
    region: inputs['aws-region'],
    changes: result.changes,
    rendered: rendered.template,
    deployed,
    imageUri,
    imageParameter: IMAGE_PARAMETER,
    imageSource: { commits, repositoryUrl: repositoryUrl || undefined },
    terminationProtectionRequested: inputs['termination-protection'],
    drift,
    deployedUnreadable,
  });
  reporter.info(`Review of stack ${rendered.stackName}:\n${reviewText(review)}`);
  return { result, review };
}

/**
 * The stack as it is now, and its deployed template and parameters when it is settled (there is
 * something to compare with). One DescribeStacks, plus GetTemplate for a settled stack.
 */
export async function readDeployed(
  cfn: CloudFormationClient,
  waiter: Waiter,
  stackName: string,
  abortSignal?: AbortSignal,
): Promise<StackAsRead> {
  const readAt = waiter.clock.now();
  let stack: Stack | undefined;
  try {
    stack = (
      await waiter.call(`DescribeStacks of stack ${stackName}`, () =>
        cfn.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal }),
      )
    ).Stacks?.[0];
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return { stack: undefined, readAt };
    throw error;
  }
  if (stack?.StackStatus === 'DELETE_COMPLETE') return { stack: undefined, readAt };
  if (!stack?.StackStatus || !SETTLED.test(stack.StackStatus)) return { stack, readAt };
  const { TemplateBody } = await waiter.call(`template of stack ${stackName}`, () =>
    cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }), { abortSignal }),
  );
  if (!TemplateBody) return { stack, readAt };
  const parameters = Object.fromEntries(
    (stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
  );
  return {
    stack,
    readAt,
    deployed: {
      template: parseTemplateBody(TemplateBody),
      parameters,
      terminationProtection: stack.EnableTerminationProtection ?? false,
    },
  };
}

/** drift: off skips it; warn reports hand-made changes; fail stops before the change set. */
async function checkDrift(
  clients: DeployClients,
  inputs: Inputs,
  stackName: string,
  reporter: Reporter,
  signal: AbortSignal,
  minutes: number,
): Promise<DriftResult | undefined> {
  if (inputs.drift === 'off') return undefined;
  const drift = await reporter.group(`Drift check of stack ${stackName}`, async () => {
    try {
      return await detectDrift(clients.cloudFormation, stackName, {
        waiter: waiterFor(clients, minutes, reporter, signal),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      return { status: 'NOT_CHECKED' as const, reason: `drift detection failed: ${(error as Error).message}` };
    }
  });
  const lines = driftLines(drift);
  if (drift.status === 'DRIFTED') {
    const text = `Stack ${stackName} was changed outside CloudFormation; resources this deploy updates lose those changes:\n${lines.map((l) => `  - ${l}`).join('\n')}`;
    if (inputs.drift === 'fail')
      throw new DriftError(`${text}\nStopped before the change set (drift: fail); nothing was changed.`);
    reporter.warning(text);
  } else if (drift.status === 'NOT_CHECKED') reporter.warning(`Drift of stack ${stackName}: ${lines.join(' ')}`);
  else reporter.info(`Drift of stack ${stackName}: ${lines.join(' ')}`);
  return drift;
}
