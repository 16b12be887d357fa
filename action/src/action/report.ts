// Phase "report": step outputs, the job summary (changes, API URL, diagram) and, on pull
// requests, the plan comment. Pure text building is kept apart from the calls that publish it.
import * as core from '@actions/core';
import { exposureSentence } from '../config/project.js';
import {
  changeRows,
  changesMarkdown,
  STACK_LEVEL_CHANGES,
  type DeployResult,
  type SmokeResult,
} from '../deploy/index.js';
import type { RolloutSummary } from '../deploy/rollout.js';
import { OUTPUTS } from '../render/template.js';
import { estimateCost } from '../plan/cost/estimate.js';
import { estimateMarkdown, fitComment, reviewMarkdown } from '../plan/format.js';
import type { PlanReview } from '../plan/review.js';
import type { Inputs } from '../phases/inputs.js';
import type { Rendered } from '../phases/render.js';

export interface Outcome {
  rendered: Rendered;
  imageUri?: string;
  result?: DeployResult;
  smoke?: SmokeResult & { url: string };
  deleted?: boolean;
  /** Risks, API users' changes, security, cost and drift (plan and deploy modes). */
  review?: PlanReview;
}

export function setOutputs({ rendered, imageUri, result }: Outcome): void {
  core.setOutput('template-path', rendered.templatePath);
  if (imageUri) core.setOutput('image-uri', imageUri);
  if (!result) return;
  // Every stack output under its own name, the API URL also under the documented kebab-case name.
  for (const [key, value] of Object.entries(result.outputs)) core.setOutput(key, value);
  core.setOutput('api-url', result.outputs[OUTPUTS.apiUrl] ?? '');
  core.setOutput('stack-id', result.stackId ?? '');
  core.setOutput('change-set-id', result.changeSetId ?? '');
  core.setOutput('has-changes', String(result.hasChanges));
  core.setOutput('changes', JSON.stringify(changeRows(result.changes)));
}

export function summaryMarkdown(
  inputs: Inputs,
  { rendered, imageUri, result, smoke, deleted, review }: Outcome,
): string {
  const { stackName } = rendered;
  const lines: string[] = [];
  const apiUrl = result?.outputs[OUTPUTS.apiUrl];
  if (inputs.mode === 'delete') {
    lines.push(`## 🗑️ Stack \`${stackName}\` ${deleted ? 'deleted' : 'did not exist'}`);
  } else if (inputs.mode === 'render') {
    lines.push(`## 📄 Rendered stack \`${stackName}\``, '', `Template: \`${rendered.templatePath}\``);
    lines.push('', `**Exposure:** ${exposureSentence(rendered.config)}`);
    // No AWS in render mode: the estimate uses the Region's prices (us-east-1 when none is set).
    lines.push('', estimateMarkdown(estimateCost(rendered.template, inputs['aws-region'] || 'us-east-1')));
  } else {
    const verb = inputs.mode === 'plan' ? 'Plan for' : result?.hasChanges ? 'Deployed' : 'No changes to';
    lines.push(`## ${inputs.mode === 'plan' ? '📋' : '🚀'} ${verb} stack \`${stackName}\``, '');
    if (apiUrl) lines.push(`**API:** ${apiUrl}`);
    if (imageUri) lines.push(`**Image:** \`${imageUri}\``);
    if (smoke) lines.push(`**Smoke test:** \`GET ${smoke.url}\` → ${smoke.status} in ${smoke.latencyMs} ms`);
    // Said plainly on every plan and deploy, not only when a route changes.
    lines.push(`**Exposure:** ${exposureSentence(rendered.config)}`);
    if (review) lines.push('', reviewMarkdown(review));
    const dashboard = result?.outputs[OUTPUTS.dashboardUrl];
    if (dashboard) lines.push(`**Dashboard:** ${dashboard}`);
    if (result?.rollout) lines.push('', rolloutMarkdown(result.rollout));
    if (result) lines.push('', changesSection(result, stackName));
  }
  lines.push('', '<details><summary>Architecture</summary>', '', rendered.diagram, '', '</details>', '');
  return lines.join('\n');
}

/** The change table; a change set without resource changes says what it does change instead of "No changes." */
function changesSection(result: DeployResult, stackName: string): string {
  if (result.hasChanges && result.changes.length === 0) return `Stack \`${stackName}\`: ${STACK_LEVEL_CHANGES}\n`;
  return changesMarkdown(result.changes, stackName);
}

/** GitHub's 65,536-character comment limit, less the hidden marker line the comment starts with. */
const COMMENT_BODY_LIMIT = 65_536 - 200;
/** The rollout section: strategy and outcome, and the rollout's log lines. */
export function rolloutMarkdown(rollout: RolloutSummary): string {
  return [
    `### Rollout of \`${rollout.service}\` (${rollout.strategy}): ${rollout.status}`,
    '',
    '```',
    ...rollout.lines,
    '```',
  ].join('\n');
}

export async function publishSummary(inputs: Inputs, outcome: Outcome): Promise<void> {
  // Outside a runner (no GITHUB_STEP_SUMMARY) there is nowhere to write a summary.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(summaryMarkdown(inputs, outcome)).write();
}

/** In plan mode on a pull request: one comment per stack, edited in place on every push. */
export async function commentOnPullRequest(inputs: Inputs, outcome: Outcome, signal?: AbortSignal): Promise<void> {
  if (inputs.mode !== 'plan' || !inputs['pr-comment'] || !outcome.result) return;
  if (!/^pull_request/.test(process.env.GITHUB_EVENT_NAME ?? '')) return;
  // Loaded only here: the GitHub client is a large part of the bundle and most runs never comment.
  const { currentPullRequest, upsertPlanComment } = await import('./pr-comment.js');
  const pr = currentPullRequest();
  if (!pr) return;
  if (!inputs['github-token']) {
    core.warning('pr-comment is on but github-token is empty: no pull request comment.');
    return;
  }
  const url = await upsertPlanComment(
    inputs['github-token'],
    pr,
    outcome.rendered.stackName,
    // The risk list leads, so cutting the tail to GitHub's limit (marker line included) never loses it.
    fitComment(summaryMarkdown(inputs, outcome), COMMENT_BODY_LIMIT),
    signal,
  );
  core.info(`Plan posted to the pull request: ${url}`);
}
