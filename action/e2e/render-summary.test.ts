// The action's render mode says in its job summary who can call the API it rendered.
import { describe, expect, it } from '@jest/globals';
import { NODES, runAction } from './run-action.js';

describe('the bundled action in render mode', () => {
  it('lists the routes open without auth in the job summary', async () => {
    const run = await runAction({
      node: NODES.node24,
      inputs: { config: 'sample-api/deploy.yml', mode: 'render' },
      env: { AWS_REGION: 'us-east-1' },
    });
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(/\*\*Exposure:\*\* Open to anyone on the internet, without auth: .*GET \/health/);
  });
});
