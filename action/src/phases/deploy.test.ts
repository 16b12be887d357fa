import { describe, expect, it } from '@jest/globals';
import { configSchema, type ConfigInput } from '../config/schema.js';
import { testWorld } from '../../test-support/deploy-world.js';
import { deployRendered, smokePath } from './deploy.js';
import { getInputs } from './inputs.js';
import type { Rendered } from './render.js';

type RouteInput = NonNullable<NonNullable<ConfigInput['api']>['routes']>[number];
const config = (routes: RouteInput[], healthCheckPath = '/health') =>
  configSchema.parse({ name: 'pubquiz', service: { port: 8080, healthCheckPath }, api: { routes } });

describe('smokePath', () => {
  it('calls the given path, and nothing when smoke-path is empty', () => {
    expect(smokePath('/quizzes', config([]))).toEqual({ path: '/quizzes' });
    expect(smokePath('', config([]))).toEqual({ skip: 'smoke-path is empty' });
  });

  it('auto: the health check path when the API routes it publicly to the service', () => {
    expect(smokePath('auto', config([]))).toEqual({ path: '/health' }); // the default {proxy+} route
    expect(smokePath('auto', config([{ path: '/health', methods: ['GET'] }]))).toEqual({ path: '/health' });
    expect(smokePath('auto', config([{ path: '/{item}', methods: ['ANY'] }]))).toEqual({ path: '/health' });
    expect(smokePath('auto', config([{ path: '/ops/{rest+}' }], '/ops/live/ready'))).toEqual({
      path: '/ops/live/ready',
    });
  });

  it.each<[string, RouteInput[]]>([
    [
      'no route serves the path',
      [
        { path: '/quizzes/{quizId}', methods: ['GET'] },
        { path: '/quizzes', methods: ['POST'] },
      ],
    ],
    ['the route needs an API key', [{ path: '/health', methods: ['GET'], auth: 'api-key' }]],
    ['the route goes to a mock, not the service', [{ path: '/health', methods: ['GET'], target: 'mock' }]],
    ['the route requires a header', [{ path: '/health', methods: ['GET'], requiredHeaders: ['X-Probe'] }]],
    [
      'the resource has no GET (API Gateway does not fall back to {param})',
      [
        { path: '/health', methods: ['POST'] },
        { path: '/{any}', methods: ['GET'] },
      ],
    ],
    [
      'a more specific resource takes the path',
      [{ path: '/{proxy+}' }, { path: '/health', methods: ['GET'], auth: 'iam' }],
    ],
  ])('auto: skipped when %s', (_, routes) => {
    expect(smokePath('auto', config(routes))).toEqual({
      skip: 'smoke-path is auto, but no route of the API sends GET /health (the health check path) to the service without auth; set smoke-path to a path it does',
    });
  });
});

describe('deployRendered', () => {
  it('warns when the deployed stack has no ApiUrl output (api-url would be empty)', async () => {
    const { env, aws, reporter } = testWorld();
    aws.givenStack('quiz', 'UPDATE_COMPLETE', { outputs: { ClusterName: 'c' } });
    aws.changeSet = { emptyReason: 'No updates are to be performed.' };
    const parsed = configSchema.parse({ name: 'quiz', service: { port: 8080 } });
    const rendered = {
      config: parsed,
      stackName: 'quiz',
      template: { Resources: {} },
      templateBody: '{"Resources":{}}',
    } as unknown as Rendered;
    const inputs = getInputs((name) => (name === 'mode' ? 'deploy' : ''), {});

    const result = await deployRendered(
      env.clients,
      inputs,
      rendered,
      'repo@sha256:abc',
      reporter,
      new AbortController().signal,
    );

    expect(result.outputs.ApiUrl).toBeUndefined();
    expect(reporter.lines).toContainEqual(
      'warning: Stack quiz has no ApiUrl output, so api-url is empty and there is nothing to smoke-test. Its outputs: ClusterName.',
    );
  });
});
