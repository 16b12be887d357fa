import { describe, expect, it } from '@jest/globals';
import { configSchema } from './schema.js';

describe('config schema', () => {
  it('fills every default from a five-line config', () => {
    const config = configSchema.parse({ name: 'pubquiz', image: { context: 'sample-api' }, service: { port: 8080 } });
    expect(config.network.natGateways).toBe(1);
    expect(config.api.vpcLink).toBe('v2');
    expect(config.service.deployment.deregistrationDelay).toBe(10);
  });
});
