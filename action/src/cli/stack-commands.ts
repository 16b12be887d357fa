// `plan`, `deploy`, `delete` and `build`: the action's phases from a terminal. The options are
// the action's inputs under the same names and go through the same checks (getInputs), so a
// command line and a workflow step that look alike do the same thing.
import { createDeployClients, changesMarkdown, STACK_LEVEL_CHANGES } from '../deploy/index.js';
import { getInputs, type Inputs, type Mode } from '../phases/inputs.js';
import { deleteRendered, deployRendered, verify } from '../phases/deploy.js';
import { resolveImage } from '../phases/image.js';
import { loadAndRender } from '../phases/render.js';
import { startRunControl } from '../phases/run-control.js';
import { OUTPUTS } from '../render/template.js';
import { type CliIO, type Command, EXIT, type Options, type ParsedArgs, PROGRAM, UsageError } from './command.js';
import { TerminalReporter } from './terminal-reporter.js';
import { DEFAULT_CONFIG } from './validate.js';

const stringInputs = [
  'stack-name',
  'environment',
  'aws-region',
  'image',
  'builder',
  'parameter-overrides',
  'tags',
  'role-arn',
  's3-bucket',
  'timeout-minutes',
  'smoke-path',
] as const;
const flagInputs = ['fail-on-empty-changeset', 'termination-protection', 'keep-failed-stack'] as const;

const options: Options = Object.fromEntries([
  ...stringInputs.map((name) => [name, { type: 'string' }]),
  ...flagInputs.map((name) => [name, { type: 'boolean' }]),
]);

const optionHelp = `Options (the action's inputs, same names and meaning):
      --stack-name NAME           default: the config's name[-environment]
      --environment ENV           appended to the stack name, tagged on every resource
      --aws-region REGION         default: AWS_REGION / AWS_DEFAULT_REGION
      --image URI                 deploy this image instead of building the config's image
      --builder auto|buildx|buildah|podman
      --parameter-overrides K=V,… extra stack parameters
      --tags K=V,…                stack tags
      --role-arn ARN              CloudFormation execution role
      --s3-bucket BUCKET          for templates over 51,200 bytes
      --timeout-minutes N         bounds the whole command (default 30); Ctrl-C cancels
      --smoke-path PATH           default: the health check path; '' skips the smoke test
      --fail-on-empty-changeset   fail when nothing changes
      --termination-protection    turn on termination protection
      --keep-failed-stack         fail instead of recreating a ROLLBACK_COMPLETE stack
  -h, --help                      show this help
AWS credentials and endpoints come from the environment as for any AWS SDK tool
(AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_CLOUDFORMATION, ...).`;

/** The command line as the action's inputs. */
export function inputsFromArgs({ values, positionals }: ParsedArgs, mode: Mode): Inputs {
  const given: Record<string, string> = {
    config: positionals[0] ?? DEFAULT_CONFIG,
    mode,
    'pr-comment': 'false',
    'smoke-path': 'auto',
  };
  for (const name of stringInputs) if (typeof values[name] === 'string') given[name] = values[name] as string;
  for (const name of flagInputs) if (values[name]) given[name] = 'true';
  if (values['keep-failed-stack']) given['delete-failed-stack'] = 'false';
  return getInputs((name) => given[name] ?? '');
}

function regionOf(inputs: Inputs): string {
  if (!inputs['aws-region']) throw new UsageError('no AWS Region: pass --aws-region or set AWS_REGION');
  return inputs['aws-region'];
}

type StackCommand = Exclude<Mode, 'render'> | 'build';

async function runStackCommand(mode: StackCommand, args: ParsedArgs, io: CliIO): Promise<number> {
  const inputs = inputsFromArgs(args, mode === 'build' ? 'deploy' : mode);
  const reporter = new TerminalReporter(io.stdout);
  const region = regionOf(inputs);
  // --timeout-minutes bounds the whole command; Ctrl-C (or SIGTERM) cancels the stack update
  // (CancelUpdateStack) instead of leaving it running unseen, and a second one exits at once.
  const signal = startRunControl({
    timeoutMinutes: inputs['timeout-minutes'],
    warn: (message) => io.stderr(`${message}\n`),
    fail: (message) => io.stderr(`${PROGRAM} ${mode} failed: ${message}\n`),
  });
  const rendered = await loadAndRender(inputs, io.cwd);
  if (mode === 'delete') {
    const { deleted } = await deleteRendered(
      createDeployClients({ region, signal }),
      inputs,
      rendered.stackName,
      reporter,
      signal,
    );
    io.stdout(deleted ? `Deleted stack ${rendered.stackName}.\n` : `Stack ${rendered.stackName} did not exist.\n`);
    return EXIT.ok;
  }
  const image = await resolveImage(inputs, rendered, region, reporter, { signal });
  if (mode === 'build') {
    io.stdout(`${image.imageUri}\n`);
    return EXIT.ok;
  }
  const result = await deployRendered(
    createDeployClients({ region, signal }),
    inputs,
    rendered,
    image.imageUri,
    reporter,
    signal,
  );
  if (mode === 'plan') {
    const stackLevelOnly = result.hasChanges && result.changes.length === 0;
    io.stdout(
      stackLevelOnly
        ? `\nStack ${rendered.stackName}: ${STACK_LEVEL_CHANGES}\n`
        : `\n${changesMarkdown(result.changes, rendered.stackName)}`,
    );
    return EXIT.ok;
  }
  await reporter.group('Smoke test', () => verify(inputs, rendered, result, reporter, signal));
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
    options,
    help: `Usage: ${PROGRAM} ${mode} [config] [options]\n\n${description}\n\n${optionHelp}\n\nExample:\n  ${PROGRAM} ${mode} ${example}\n`,
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
  "Deletes the config's stack and waits until it is gone. The ECR repository and the DynamoDB\ntable (retained by policy) stay.",
  'sample-api/deploy.yml --environment pr-42',
);
export const buildCommand = stackCommand(
  'build',
  'Build and push the image to ECR only; prints the image URI pinned by digest',
  "Creates the ECR repository if missing, then builds and pushes the config's image unless an\nimage with the same content hash is already there. Prints <registry>/<repo>@sha256:….",
  'sample-api/deploy.yml',
);
