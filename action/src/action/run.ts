// The action: read the inputs once, then run the phases in order, each a folding group in the
// log, so the log reads like the plan. Any error fails the step with its message.
import * as core from '@actions/core';
import { ConfigError } from '../config/load.js';
import { createDeployClients } from '../deploy/index.js';
import { coreReporter as reporter } from './core-reporter.js';
import { deleteRendered, deployRendered, verify } from '../phases/deploy.js';
import { resolveImage } from '../phases/image.js';
import { getInputs, type Inputs } from '../phases/inputs.js';
import { loadAndRender } from '../phases/render.js';
import { startRunControl } from '../phases/run-control.js';
import { STATE_BUILDER, STATE_REGISTRY } from './state.js';
import { commentOnPullRequest, publishSummary, setOutputs, type Outcome } from './report.js';

function regionOf(inputs: Inputs): string {
  if (!inputs['aws-region'])
    throw new Error(
      'No AWS Region: set the aws-region input or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
    );
  return inputs['aws-region'];
}

export async function run(): Promise<void> {
  try {
    const inputs = getInputs((name) => core.getInput(name));
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

    if (inputs.mode === 'delete') {
      const region = regionOf(inputs);
      outcome.deleted = (
        await deleteRendered(createDeployClients({ region, signal }), inputs, rendered.stackName, reporter, signal)
      ).deleted;
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
      outcome.result = await deployRendered(
        createDeployClients({ region, signal }),
        inputs,
        rendered,
        outcome.imageUri,
        reporter,
        signal,
      );
      if (inputs.mode === 'deploy') {
        outcome.smoke = await core.group('Smoke test', () =>
          verify(inputs, rendered, outcome.result!, reporter, signal),
        );
      }
    }

    await core.group('Report', async () => {
      setOutputs(outcome);
      await publishSummary(inputs, outcome);
      await commentOnPullRequest(inputs, outcome, signal);
    });
  } catch (error) {
    if (error instanceof ConfigError) annotate(error);
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** Each config problem as an annotation on its line of the config file. */
function annotate({ fileName, problems }: ConfigError): void {
  for (const problem of problems) {
    core.error(`${problem.path ? `${problem.path}: ` : ''}${problem.message}`, {
      title: 'Invalid deploy config',
      file: fileName,
      startLine: problem.line,
      startColumn: problem.column,
    });
  }
}
