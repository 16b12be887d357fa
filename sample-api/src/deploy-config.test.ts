// deploy.yml is how the action exposes this app: its routes must be exactly the app's, with the
// quizmaster's behind an API key, and its service settings must match what the app reads.
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { routes } from './app.js';
import { readSettings } from './settings.js';

const config = parse(readFileSync(new URL('../deploy.yml', import.meta.url), 'utf8'));

describe('deploy.yml', () => {
  test('routes every method of the app and its health check, quizmaster routes behind an API key, nothing more', () => {
    const deployed = (config.api.routes as { path: string; methods: string[]; auth: string }[])
      .flatMap((route) => route.methods.map((method) => `${method} ${route.path} ${route.auth}`))
      .sort();
    const served = routes.map(
      (route) => `${route.method} ${route.path} ${route.access === 'quizmaster' ? 'api-key' : 'none'}`,
    );
    // The health check is public too, so the deploy's smoke test can call it through API Gateway.
    served.push('GET /health none');
    served.sort();
    expect(deployed).toEqual(served);
  });

  test('serves on the port and health path the app uses, with DynamoDB and the key from a secret', () => {
    expect(config.service.port).toBe(readSettings({}).port);
    expect(config.service.healthCheckPath).toBe('/health');
    expect(config.storage.dynamodb).toBe(true);
    expect(Object.keys(config.service.secrets)).toEqual(['QUIZMASTER_KEY']);
  });

  test("gives the app an environment it starts with, draining within ECS's 30 s stop timeout", () => {
    // What the task gets: deploy.yml's environment, the renderer's TABLE_NAME, the key from the secret.
    const settings = readSettings({
      ...config.service.environment,
      TABLE_NAME: 'injected-by-the-renderer',
      QUIZMASTER_KEY: 'k'.repeat(16),
    });
    expect(settings).toMatchObject({ store: 'dynamodb', port: config.service.port });
    expect(settings.shutdownGraceSeconds).toBeLessThan(30);
  });
});
