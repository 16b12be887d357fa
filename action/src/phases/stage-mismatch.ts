// Why a smoke test answers 404 while the service is healthy: API Gateway sent the app a path it
// does not serve, most likely with the stage in front (`/prod/health`), which AWS documents for
// private integrations. The load balancer checks the tasks directly, so healthy targets prove the
// app itself is up.
import type { Config } from '../config/schema.js';
import type { DeployClients } from '../deploy/index.js';
import { stackTargetHealth } from '../deploy/target-health.js';
import { STAGE_PREFIX_VARIABLE } from '../render/stage-prefix.js';
import type { Reporter } from '../reporter.js';

/** The smoke test's explainNotFound: a reason when the target group has healthy targets, else undefined. */
export function stageMismatchExplainer(
  clients: Pick<DeployClients, 'cloudFormation' | 'elbv2'>,
  stackName: string,
  config: Config,
  path: string,
  reporter: Reporter,
  signal?: AbortSignal,
): () => Promise<string | undefined> {
  return async () => {
    try {
      const health = await stackTargetHealth(clients, stackName, signal);
      if (!health || health.healthy === 0) return undefined;
      return stageMismatchMessage(config, path, health.healthy);
    } catch (error) {
      if (signal?.aborted) throw error;
      reporter.info(`Could not read the target group's health to explain the 404: ${(error as Error).message}`);
      return undefined;
    }
  };
}

export function stageMismatchMessage(config: Config, path: string, healthyTargets: number): string {
  const stage = config.api.stage;
  const route = `/${path.replace(/^\/+/, '')}`;
  const targets = `${healthyTargets} healthy target${healthyTargets === 1 ? '' : 's'}`;
  const checks = `its health checks call ${config.service.healthCheckPath} on the tasks directly`;
  return (
    `The load balancer reports ${targets} (${checks}), so the app is up but does not serve the path API Gateway ` +
    `sends it: a stage-prefix mismatch. A private integration can send the stage in front of the path ` +
    `(/${stage}${route} rather than ${route}). Fix: have the app remove ${STAGE_PREFIX_VARIABLE} ` +
    `(/${stage} on the task) from the front of a path that carries it; "The stage in the path" in the README ` +
    `has the one-line Express middleware and the Spring setting.`
  );
}
