// `validate`: check a config and say what it describes, or list every problem in it.
import { dirname, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config/load.js';
import { projectProblems, publicRoutes } from '../config/project.js';
import type { Config } from '../config/schema.js';
import { type CliIO, type Command, EXIT, PROGRAM } from './command.js';

export const DEFAULT_CONFIG = 'deploy.yml';

/** Loads the config named on the command line (default deploy.yml), naming it as the user wrote it. */
export function readConfig(path: string | undefined, io: CliIO): Promise<Config> {
  const given = path ?? DEFAULT_CONFIG;
  return loadConfig(resolve(io.cwd, given), given);
}

/** One line on what the config deploys, so a user sees the defaults they got. */
export function summarize(config: Config): string {
  const { service, network, api } = config;
  const routes =
    api.routes.length === 0 ? 'one {proxy+} route' : `${api.routes.length} route${api.routes.length === 1 ? '' : 's'}`;
  const egress = network.existing
    ? `existing VPC ${network.existing.vpcId}`
    : network.natGateways === 0
      ? 'no NAT (VPC endpoints)'
      : `${network.natGateways} NAT gateway${network.natGateways === 1 ? '' : 's'}`;
  const count = service.autoscaling
    ? `${service.autoscaling.min}-${service.autoscaling.max} tasks`
    : `${service.desiredCount} task${service.desiredCount === 1 ? '' : 's'}`;
  return `${config.name}: ${count} of ${service.cpu / 1024} vCPU / ${service.memory} MiB on port ${service.port}, ${egress}, VPC link ${api.vpcLink}, ${routes} on stage ${api.stage}`;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check a config and list every problem in it',
  maxPositionals: 1,
  options: {},
  help: `Usage: ${PROGRAM} validate [config]

Checks the config (default deploy.yml) against the schema and the rules AWS enforces (Fargate
cpu/memory pairs, route paths, CIDR sizes, name lengths, ...), renders its template (resource and
size limits) and looks for the build context and Dockerfile. Prints a summary and the routes open
without auth when it is valid; otherwise lists every problem, with its field path and line:column
where the file has one, and exits 2.

Examples:
  ${PROGRAM} validate
  ${PROGRAM} validate services/quiz/deploy.yml
`,
  async run({ positionals }, io) {
    const given = positionals[0] ?? DEFAULT_CONFIG;
    const config = await readConfig(given, io);
    const problems = await projectProblems(config, dirname(resolve(io.cwd, given)));
    if (problems.length > 0) throw new ConfigError(given, problems);
    const open = publicRoutes(config);
    const exposure =
      open.length > 0
        ? `\nOpen to anyone on the internet, without auth: ${open.join('; ')}`
        : '\nEvery route needs auth.';
    io.stdout(`${given} is valid. ${summarize(config)}${exposure}\n`);
    return EXIT.ok;
  },
};
