// `plan`, `deploy`, `delete` and `build`: the action's phases from a terminal. The options are
// the action's inputs under the same names and go through the same checks (getInputs), so a
// command line and a workflow step that look alike do the same thing.
import { createDeployClients } from '../deploy/index.js';
import type { Inputs, Mode } from '../phases/inputs.js';
import { deleteRendered, verify } from '../phases/deploy.js';
import { deployWithReview } from '../phases/review.js';
import { createEcrClient, resolveImage } from '../phases/image.js';
import { markDeployedImage, unmarkDeployedImage } from '../phases/deployed-image.js';
import { loadAndRender } from '../phases/render.js';
import { startRunControl } from '../phases/run-control.js';
import { OUTPUTS } from '../render/template.js';
import { resolveRegion, useProfile } from './aws-profile.js';
import { type CliIO, type Command, EXIT, type ParsedArgs, PROGRAM } from './command.js';
import { useColour } from './colour.js';
import { confirmDelete } from './delete-guard.js';
import { inputsFromArgs, OPTIONS_OF, stackOptionHelp, stackOptions } from './stack-options.js';
import { TerminalReporter } from './terminal-reporter.js';

/** The profile and Region the command works in (see aws-profile.ts). */
async function awsTarget(values: ParsedArgs['values'], inputs: Inputs, io: CliIO): Promise<string> {
  const profile = await useProfile(values.profile as string | undefined, io.env ?? process.env);
  return resolveRegion(inputs['aws-region'], profile);
}

type StackCommand = Exclude<Mode, 'render'> | 'build';

async function runStackCommand(mode: StackCommand, args: ParsedArgs, io: CliIO): Promise<number> {
  const inputs = inputsFromArgs(args, mode === 'build' ? 'deploy' : mode, (note) => io.stderr(`${note}\n`));
  const env = io.env ?? process.env;
  const reporter = new TerminalReporter(io.stdout, { colour: useColour(io.stdoutIsTTY, env), ticker: io.ticker });
  const region = await awsTarget(args.values, inputs, io);
  // --timeout-minutes bounds the whole command; Ctrl-C (or SIGTERM) cancels the stack update
  // (CancelUpdateStack) instead of leaving it running unseen, and a second one exits at once.
  const signal = startRunControl({
    timeoutMinutes: inputs['timeout-minutes'],
    warn: (message) => io.stderr(`${message}\n`),
    fail: (message) => io.stderr(`${PROGRAM} ${mode} failed: ${message}\n`),
  });
  const rendered = await loadAndRender(inputs, io.cwd);
  if (mode === 'delete') {
    const clients = createDeployClients({ region, signal });
    const yes = args.values.yes === true;
    if (!(await confirmDelete(clients.cloudFormation, rendered.stackName, rendered.config.name, region, yes, io))) {
      return EXIT.failure;
    }
    const { deleted } = await deleteRendered(clients, inputs, rendered.stackName, reporter, signal);
    await unmarkDeployedImage(createEcrClient(region, signal), rendered, reporter, signal);
    io.stdout(deleted ? `Deleted stack ${rendered.stackName}.\n` : `Stack ${rendered.stackName} did not exist.\n`);
    return EXIT.ok;
  }
  const image = await resolveImage(inputs, rendered, region, reporter, { signal });
  if (mode === 'build') {
    io.stdout(`${image.imageUri}\n`);
    return EXIT.ok;
  }
  const clients = createDeployClients({ region, signal });
  const { result } = await deployWithReview(clients, inputs, rendered, image.imageUri, reporter, signal);
  // The review (risks, API users, security, cost, drift) and the engine's change table are printed.
  if (mode === 'plan') return EXIT.ok;
  await markDeployedImage(createEcrClient(region, signal), rendered, image.imageUri, reporter, signal);
  await reporter.group('Smoke test', () => verify(inputs, rendered, result, reporter, signal, clients));
  io.stdout(
    `\nStack ${rendered.stackName}: ${result.status ?? 'unchanged'}\nAPI: ${result.outputs[OUTPUTS.apiUrl] ?? '(none)'}\n`,
  );
  return EXIT.ok;
}

function stackCommand(mode: StackCommand, summary: string, description: string, example: string): Command {
  return {
    name: mode,
    summary,
    maxPositionals: 1,
    options: stackOptions(OPTIONS_OF[mode]),
    help: `Usage: ${PROGRAM} ${mode} [config] [options]\n\n${description}\n\n${stackOptionHelp(OPTIONS_OF[mode])}\n\nExample:\n  ${PROGRAM} ${mode} ${example}\n`,
    run: (args, io) => runStackCommand(mode, args, io),
  };
}

export const planCommand = stackCommand(
  'plan',
  'Build the image and show what a deploy would change (change set), then stop',
  'Renders the stack, builds and pushes the image if needed, creates a change set, prints it and\ndeletes it again. Nothing is deployed.',
  'sample-api/deploy.yml --environment staging',
);
export const deployCommand = stackCommand(
  'deploy',
  'Build, push and deploy through a change set, then smoke-test the API',
  'Renders the stack, builds and pushes the image (skipped when ECR has it), creates and\nexecutes a change set, follows the stack events and calls the API until it answers 2xx.',
  'sample-api/deploy.yml --environment staging --role-arn arn:aws:iam::123456789012:role/cfn-exec',
);
export const deleteCommand = stackCommand(
  'delete',
  'Delete the stack (for example a preview environment)',
  "Deletes the config's stack and waits until it is gone. The ECR repository and the DynamoDB\ntable (retained by policy) stay. In a terminal it first asks you to type the stack name\n(--yes skips that, and scripts need it); a stack this tool did not create is refused.",
  'sample-api/deploy.yml --environment pr-42',
);
export const buildCommand = stackCommand(
  'build',
  'Build and push the image to ECR only; prints the image URI pinned by digest',
  "Creates the ECR repository if missing, then builds and pushes the config's image unless an\nimage with the same content hash is already there. Prints <registry>/<repo>@sha256:….",
  'sample-api/deploy.yml',
);
