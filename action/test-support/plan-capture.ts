// Plans a real edit of the sample against the loopback AWS: the stack is deployed from the sample
// as it is, then the edited config (or template) is planned through the action's own review phase,
// so detectors are tested on the change sets and templates CloudFormation's wire protocol returns.
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECRClient } from '@aws-sdk/client-ecr';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../src/config/schema.js';
import { parseConfig } from '../src/config/load.js';
import { planClients } from './deploy-world.js';
import { getInputs } from '../src/phases/inputs.js';
import { deployWithReview } from '../src/phases/review.js';
import type { PlanReview } from '../src/plan/review.js';
import { renderStack } from '../src/render/index.js';
import type { Template } from '../src/render/template.js';
import { MemoryReporter } from '../src/reporter.js';
import type { DeployResult } from '../src/deploy/index.js';
import type { DriftScript } from './fake-aws/drift.js';
import { awsConfig, startFakeAws } from './fake-aws/index.js';

const ROOT = join(import.meta.dirname, '../..');

export const SAMPLE_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'0a'.repeat(32)}`;
export const NEXT_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'1b'.repeat(32)}`;

/** sample-api/deploy.yml, validated. */
export function sampleConfig(): Config {
  return parseConfig(readFileSync(join(ROOT, 'sample-api/deploy.yml'), 'utf8'), 'deploy.yml');
}

export interface PlanEdit {
  /** The config to plan (default: the sample unchanged). */
  config?: Config;
  /** A template-level edit, for what the config cannot express. */
  editTemplate?: (template: Template) => Template;
  image?: string;
  inputs?: Record<string, string>;
  drift?: DriftScript;
  /** Images in the fake ECR (repository pubquiz), with their tags. */
  images?: { digest: string; tags: string[] }[];
}

export interface CapturedPlan {
  result: DeployResult;
  review: PlanReview;
  deployed: Template;
  rendered: Template;
  log: string;
}

/** Deploys the sample (seeded, as if by an earlier run), then plans `edit` against it. */
export async function planEdit(edit: PlanEdit): Promise<CapturedPlan> {
  const base = sampleConfig();
  const deployed = renderStack(base);
  const fake = await startFakeAws({
    stackName: base.name,
    changeSetReadyMs: 20,
    resourceStepMs: 1,
    stack: {
      status: 'CREATE_COMPLETE',
      templateBody: JSON.stringify(deployed),
      parameters: { ImageUri: SAMPLE_IMAGE },
    },
    drift: edit.drift,
  });
  for (const image of edit.images ?? []) fake.addImage('pubquiz', image);
  try {
    const config = edit.config ?? base;
    const rendered = (edit.editTemplate ?? ((t) => t))(renderStack(config));
    const clients = planClients(new CloudFormationClient(awsConfig(fake.url)));
    const given: Record<string, string> = { mode: 'plan', 'aws-region': 'us-east-1', ...edit.inputs };
    const inputs = getInputs((name) => given[name] ?? '', {});
    const reporter = new MemoryReporter();
    const { result, review } = await deployWithReview(
      clients,
      inputs,
      {
        config,
        configDir: ROOT,
        stackName: base.name,
        template: rendered,
        templateBody: JSON.stringify(rendered),
        templatePath: '',
        diagram: '',
      },
      edit.image ?? SAMPLE_IMAGE,
      reporter,
      new AbortController().signal,
      { ecr: (region) => Promise.resolve(new ECRClient({ ...awsConfig(fake.url), region })), repositoryUrl: '' },
    );
    return { result, review, deployed, rendered, log: reporter.text };
  } finally {
    await fake.close();
  }
}
