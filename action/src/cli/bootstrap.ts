// `bootstrap`: the once-per-account template (GitHub OIDC provider, deploy and execution roles,
// template bucket) deployed with the same change-set engine as the app, then the repository
// variables the workflows read, printed or set through GitHub's API. Re-running it updates.
import { createInterface } from 'node:readline/promises';
import { createDeployClients, deployStack, type DeployClients } from '../deploy/index.js';
import { getInputs } from '../phases/inputs.js';
import { renderBootstrap } from '../render/bootstrap.js';
import { type CliIO, type Command, EXIT, type ParsedArgs, PROGRAM, UsageError } from './command.js';
import { repositoryVariables, setRepositoryVariables, variablesText } from './repository-variables.js';
import { TerminalReporter } from './terminal-reporter.js';
import { readConfig } from './validate.js';

export interface BootstrapDeps {
  /** Asks a yes/no question; undefined when there is nobody to ask (stdin is not a terminal). */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  clients: (region: string) => DeployClients;
  signal?: AbortSignal;
}

/**
 * `bootstrap-<name>`: outside the `<name>` and `<name>-*` stacks the deploy role may change, so the
 * roles it holds never include the bootstrap itself.
 */
export function bootstrapStackName(configName: string, requested?: string): string {
  // An app named bootstrap owns every bootstrap-* stack, its own bootstrap included.
  const fallback = configName === 'bootstrap' ? 'github-deploy-roles-bootstrap' : `bootstrap-${configName}`;
  const name = requested || fallback;
  if (name === configName || name.startsWith(`${configName}-`)) {
    throw new UsageError(
      `--stack-name ${name} is inside the app's scope: the deploy role may change every ${configName} and ${configName}-* stack, which would include its own bootstrap. Use a name that does not start with ${configName}- (default ${fallback})`,
    );
  }
  return name;
}

const help = `Usage: ${PROGRAM} bootstrap [config] [options]

Deploys the once-per-account bootstrap for the config's bootstrap section (at least
bootstrap: { repository: owner/name }): GitHub's OIDC provider, a deploy role only that repository
can assume, the CloudFormation execution role it passes, and a bucket for large templates. Shows
the change set and asks before executing it (in a terminal; elsewhere pass --yes). Ends with the
repository variables the workflows read, and sets them when given a GitHub token. Re-running it
updates the stack.

Options:
      --aws-region REGION         default: AWS_REGION / AWS_DEFAULT_REGION
      --stack-name NAME           default: bootstrap-<name> (never <name> or <name>-*)
      --parameter-overrides K=V,… template parameters, e.g. CreateOidcProvider=false when the
                                  account already has GitHub's OIDC provider
      --timeout-minutes N         default 30
  -y, --yes                       execute the change set without asking
      --github-token TOKEN        set the repository variables through the GitHub API
                                  (default: GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise)
  -h, --help                      show this help

Exit codes: 0 deployed (or nothing to change), 1 failed or not approved, 2 invalid config or command line.

Examples:
  ${PROGRAM} bootstrap deploy.yml --aws-region eu-west-1
  ${PROGRAM} bootstrap deploy.yml --yes --github-token "$(gh auth token)"
`;

export function bootstrapCommandWith(deps: BootstrapDeps): Command {
  return {
    name: 'bootstrap',
    summary: 'Deploy the once-per-account GitHub OIDC roles and print (or set) the repository variables',
    maxPositionals: 1,
    options: {
      'aws-region': { type: 'string' },
      'stack-name': { type: 'string' },
      'parameter-overrides': { type: 'string' },
      'timeout-minutes': { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      'github-token': { type: 'string' },
    },
    help,
    run: (args, io) => runBootstrap(args, io, deps),
  };
}

async function runBootstrap({ values, positionals }: ParsedArgs, io: CliIO, deps: BootstrapDeps): Promise<number> {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : '');
  const inputs = getInputs(
    (name) => (['aws-region', 'parameter-overrides', 'timeout-minutes'].includes(name) ? text(name) : ''),
    deps.env,
  );
  const config = await readConfig(positionals[0], io);
  if (!config.bootstrap) {
    throw new UsageError(
      'bootstrap needs a bootstrap section in the config, at least `bootstrap: { repository: owner/name }` (the GitHub repository allowed to deploy)',
    );
  }
  const region = inputs['aws-region'];
  if (!region) throw new UsageError('no AWS Region: pass --aws-region or set AWS_REGION');
  const stackName = bootstrapStackName(config.name, text('stack-name'));
  const token = text('github-token') || deps.env.GITHUB_TOKEN || '';
  const repository = config.bootstrap.repository;
  const reporter = new TerminalReporter(io.stdout);
  if (token) reporter.secret(token);

  let approved = true;
  const result = await deployStack(
    deps.clients(region),
    {
      stackName,
      templateBody: JSON.stringify(renderBootstrap(config)),
      parameters: inputs['parameter-overrides'],
      tags: { ...config.tags, Project: config.name, 'private-fargate-api:bootstrap': repository },
      mode: 'deploy',
      timeoutMinutes: inputs['timeout-minutes'],
      failOnEmptyChangeset: false,
      deleteFailedStack: true,
      terminationProtection: false,
      signal: deps.signal,
      approve: values.yes
        ? undefined
        : async () => {
            approved = deps.confirm ? await deps.confirm(`Execute these changes to stack ${stackName}?`) : false;
            if (!deps.confirm) io.stdout('Not a terminal: pass --yes to execute the change set.\n');
            return approved;
          },
    },
    reporter,
  );
  if (!approved) {
    io.stdout(`Nothing was deployed to stack ${stackName}.\n`);
    return EXIT.failure;
  }
  io.stdout(`\nStack ${stackName}: ${result.status ?? 'unchanged'}\n\n`);
  const variables = repositoryVariables(result.outputs, region);
  if (!token) {
    io.stdout(variablesText(repository, variables));
    return EXIT.ok;
  }
  const api = { url: deps.env.GITHUB_API_URL || 'https://api.github.com', token, signal: deps.signal };
  const done = await setRepositoryVariables(api, repository, variables);
  io.stdout(
    `Repository variables of ${repository}:\n${done.map((d) => `  ${d.action} ${d.name} = ${variables.find((v) => v.name === d.name)?.value ?? ''}`).join('\n')}\n`,
  );
  return EXIT.ok;
}

/** Asks on the terminal; undefined when stdin is not one, so nothing waits for an answer that never comes. */
function terminalConfirm(): BootstrapDeps['confirm'] {
  if (!process.stdin.isTTY) return undefined;
  return async (question) => {
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await new Promise<string>((resolve) => {
        // Ctrl-C or Ctrl-D at the prompt is a no, not a prompt left waiting.
        prompt.once('SIGINT', () => resolve(''));
        prompt.once('close', () => resolve(''));
        prompt.question(`${question} [y/N] `).then(resolve, () => resolve(''));
      });
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      prompt.close();
    }
  };
}

function interrupts(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  return controller.signal;
}

export const bootstrapCommand: Command = {
  ...bootstrapCommandWith({ env: process.env, clients: (region) => createDeployClients({ region }) }),
  run: (args, io) =>
    runBootstrap(args, io, {
      env: process.env,
      clients: (region) => createDeployClients({ region }),
      confirm: terminalConfirm(),
      signal: interrupts(),
    }),
};
