// A failed run still reports: the job summary leads with the root cause, the stack-id and
// change-set-id outputs name the stack and change set that failed, and each config problem is
// annotated once, on its own line of the config (not again inside one failure message).
import * as core from '@actions/core';
import { ConfigError, formatProblem } from '../config/load.js';
import { DeployError, type DeployResult } from '../deploy/index.js';
import type { Inputs } from '../phases/inputs.js';
import type { Rendered } from '../phases/render.js';
import { rolloutMarkdown } from './report.js';

/** What the run had reached when it failed. */
export interface FailureContext {
  inputs?: Inputs;
  rendered?: Rendered;
  imageUri?: string;
  /** A finished deploy whose smoke test then failed. */
  result?: DeployResult;
}

const fence = (text: string) => `\`\`\`\n${text.replace(/```/g, "'''")}\n\`\`\``;

/** The stack and change set the failure belongs to, when the run got that far. */
function failedIds(error: unknown, result?: DeployResult): { stackId?: string; changeSetId?: string } {
  if (error instanceof DeployError && error.stackId) return error;
  return { stackId: result?.stackId, changeSetId: result?.changeSetId };
}

export function failureSummaryMarkdown(error: unknown, { inputs, rendered, imageUri, result }: FailureContext): string {
  const what = inputs ? { plan: 'Plan', delete: 'Delete', render: 'Render', deploy: 'Deploy' }[inputs.mode] : 'Run';
  const stack = rendered ? ` of stack \`${rendered.stackName}\`` : '';
  const lines = [`## ❌ ${what}${stack} failed`, ''];
  if (error instanceof ConfigError) {
    const count = error.problems.length === 1 ? 'a problem' : `${error.problems.length} problems`;
    lines.push(`**Root cause:** the deploy config \`${error.fileName}\` has ${count}; nothing was sent to AWS.`, '');
    lines.push(...error.problems.map((p) => `- \`${formatProblem(error.fileName, p)}\``));
  } else if (error instanceof DeployError && error.rootCause) {
    const { logicalId, type, reason } = error.rootCause;
    lines.push(`**Root cause:** \`${logicalId}\` (${type}) failed: ${reason}`, '', fence(error.message));
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const [first, ...rest] = message.split('\n');
    lines.push(`**Root cause:** ${first}`);
    if (rest.length) lines.push('', fence(rest.join('\n')));
  }
  if (error instanceof DeployError && error.status) lines.push('', `**Stack status:** ${error.status}`);
  const { stackId, changeSetId } = failedIds(error, result);
  if (stackId) lines.push(`**Stack:** \`${stackId}\``);
  if (changeSetId) lines.push(`**Change set:** \`${changeSetId}\``);
  if (imageUri) lines.push(`**Image:** \`${imageUri}\``);
  // A rolled-back rollout: what ECS did, line by line, under the reason it rolled back.
  if (error instanceof DeployError && error.rollout) lines.push('', rolloutMarkdown(error.rollout));
  lines.push('');
  return lines.join('\n');
}

/** Fails the step, sets what outputs are known, and writes the summary. Never throws. */
export async function reportFailure(error: unknown, context: FailureContext): Promise<void> {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) {
      core.error(`${problem.path ? `${problem.path}: ` : ''}${problem.message}`, {
        title: 'Invalid deploy config',
        file: error.fileName,
        startLine: problem.line,
        startColumn: problem.column,
      });
    }
    // The annotations above are the problems; the log gets the list once more, as plain text.
    core.info(error.message);
    process.exitCode = core.ExitCode.Failure;
  } else {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
  if (context.rendered) core.setOutput('template-path', context.rendered.templatePath);
  if (context.imageUri) core.setOutput('image-uri', context.imageUri);
  const { stackId, changeSetId } = failedIds(error, context.result);
  core.setOutput('stack-id', stackId ?? '');
  core.setOutput('change-set-id', changeSetId ?? '');
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(failureSummaryMarkdown(error, context)).write();
  } catch (summaryError) {
    core.warning(`Could not write the job summary: ${String(summaryError)}`);
  }
}
