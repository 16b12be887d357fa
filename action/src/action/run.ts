// The action: read the inputs once, then run the phases in order, each a folding group in the
// log, so the log reads like the plan. Any error fails the step with its message, and
// still writes the summary and the outputs it knows (failure-report.ts).
import * as core from '@actions/core';
import { createDeployClients } from '../deploy/index.js';
import { coreReporter as reporter } from './core-reporter.js';
import { deleteRendered, verify } from '../phases/deploy.js';
import { deployWithReview } from '../phases/review.js';
import { createEcrClient, resolveImage } from '../phases/image.js';
import { markDeployedImage, unmarkDeployedImage } from '../phases/deployed-image.js';
import { getInputs, type Inputs } from '../phases/inputs.js';
import { loadAndRender } from '../phases/render.js';
import { startRunControl } from '../phases/run-control.js';
import { STATE_BUILDER, STATE_REGISTRY } from './state.js';
import { commentOnPullRequest, publishSummary, setOutputs, type Outcome } from './report.js';
import { reportFailure, type FailureContext } from './failure-report.js';

function regionOf(inputs: Inputs): string {
  if (!inputs['aws-region'])
    throw new Error(
      'No AWS Region: set the aws-region input or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
    );
  return inputs['aws-region'];
}

export async function run(): Promise<void> {
  // What the run has reached, so a failure still reports it.
  const reached: FailureContext = {};
  try {
    const inputs = getInputs((name) => core.getInput(name));
    reached.inputs = inputs;
    // timeout-minutes bounds the whole step; the runner's cancel (SIGINT/SIGTERM) stops it.
    const signal = startRunControl({
      timeoutMinutes: inputs['timeout-minutes'],
      warn: (message) => core.warning(message),
      fail: (message) => core.setFailed(message),
    });
    const rendered = await core.group('Config and template', async () => {
      const result = await loadAndRender(inputs);
      core.info(
        `Stack ${result.stackName}: ${Object.keys(result.template.Resources).length} resources, template at ${result.templatePath}`,
      );
      return result;
    });
    const outcome: Outcome = { rendered };
    reached.rendered = rendered;

    if (inputs.mode === 'delete') {
      const region = regionOf(inputs);
      outcome.deleted = (
        await deleteRendered(createDeployClients({ region, signal }), inputs, rendered.stackName, reporter, signal)
      ).deleted;
      await unmarkDeployedImage(createEcrClient(region, signal), rendered, reporter, signal);
    } else if (inputs.mode !== 'render') {
      const region = regionOf(inputs);
      // No group here: the image engine folds its build into its own group (groups cannot nest).
      const image = await resolveImage(inputs, rendered, region, reporter, {
        signal,
        onLogin: ({ builder, registry }) => {
          // Saved at login, so the post step logs out even when the build then fails.
          core.saveState(STATE_REGISTRY, registry);
          core.saveState(STATE_BUILDER, builder);
        },
      });
      outcome.imageUri = image.imageUri;
      reached.imageUri = image.imageUri;
      const clients = createDeployClients({ region, signal });
      const { result, review } = await deployWithReview(clients, inputs, rendered, outcome.imageUri, reporter, signal);
      outcome.result = result;
      outcome.review = review;
      reached.result = outcome.result;
      if (inputs.mode === 'deploy') {
        await markDeployedImage(createEcrClient(region, signal), rendered, outcome.imageUri, reporter, signal);
        outcome.smoke = await core.group('Smoke test', () =>
          verify(inputs, rendered, outcome.result!, reporter, signal, clients),
        );
      }
    }

    await core.group('Report', async () => {
      setOutputs(outcome);
      await publishSummary(inputs, outcome);
      await commentOnPullRequest(inputs, outcome, signal);
    });
  } catch (error) {
    await reportFailure(error, reached);
  }
}
