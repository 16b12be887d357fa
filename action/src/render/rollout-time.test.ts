import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { AWS, rolloutTime } from './rollout-time.js';
import { configOf, minimalInput } from '../../test-support/configs.js';

const withDeployment = (deployment: Record<string, unknown>) =>
  renderStack(configOf(minimalInput, { service: { port: 8080, deployment } }));

describe('modelled rollout time', () => {
  it('is under three minutes for the default rolling deployment, and far longer with AWS defaults', () => {
    const template = renderStack(configOf(minimalInput));
    // 40 s start + 2 × 10 s checks + 10 s drain + 30 s stop.
    expect(rolloutTime(template).seconds).toBe(AWS.taskStart + 20 + 10 + AWS.stopTimeout);
    expect(rolloutTime(template, { defaults: true }).seconds).toBe(AWS.taskStart + 150 + 300 + AWS.stopTimeout);
  });

  it('counts rolling waves when the max percent lets fewer tasks start at once', () => {
    const template = withDeployment({ minHealthyPercent: 50, maxHealthyPercent: 100 });
    expect(rolloutTime(template).parts.filter(([what]) => what.startsWith('wave'))).toHaveLength(2 * 2);
  });

  it("adds the NLB's ten minutes to each traffic shift, and the bake times", () => {
    const blueGreen = rolloutTime(withDeployment({ strategy: 'blue-green', bakeTimeMinutes: 5 }));
    expect(blueGreen.seconds).toBe(AWS.taskStart + 20 + 2 * 600 + 300 + 10 + AWS.stopTimeout);
    const canary = rolloutTime(withDeployment({ strategy: 'canary', canary: { percent: 10, bakeTimeMinutes: 3 } }));
    expect(canary.seconds - blueGreen.seconds).toBe(600 + 180);
    const linear = rolloutTime(
      withDeployment({ strategy: 'linear', linear: { stepPercent: 50, stepBakeTimeMinutes: 1 } }),
    );
    expect(linear.seconds - blueGreen.seconds).toBe(600 + 60);
  });
});
