import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  NEXT_IMAGE,
  SAMPLE_IMAGE,
  planEdit,
  sampleConfig,
  type CapturedPlan,
} from '../../test-support/plan-capture.js';
import { routeMadePublic } from '../../test-support/sample-edits.js';
import { renderStack } from '../render/index.js';
import { apiChanges, routesOf } from './api-diff.js';

describe("what changes for the API's users", () => {
  let publicRoute: CapturedPlan, newImage: CapturedPlan;
  beforeAll(async () => {
    publicRoute = await planEdit({ config: routeMadePublic() });
    newImage = await planEdit({ image: NEXT_IMAGE });
  });

  it('shows a route that became public, prominently', () => {
    expect(publicRoute.review.api).toEqual([
      { public: true, text: '~ GET /quizzes/{quizId}/teams: api-key → public — became PUBLIC' },
    ]);
  });

  it('shows the commit range when ECR knows the commits both images were built from', async () => {
    const [oldSha, newSha] = ['0123456789abcdef0123456789abcdef01234567', 'fedcba9876543210fedcba9876543210fedcba98'];
    const withCommits = await planEdit({
      image: NEXT_IMAGE,
      images: [
        { digest: SAMPLE_IMAGE.split('@')[1], tags: [oldSha, 'content-1'] },
        { digest: NEXT_IMAGE.split('@')[1], tags: [newSha, 'content-2'] },
      ],
    });
    expect(withCommits.review.api.map((c) => c.text)).toEqual([
      `~ Image: ${SAMPLE_IMAGE.slice(0, -52)} → sha256:${'1b'.repeat(6)} (commits 0123456..fedcba9)`,
    ]);
  });

  it('shows the image moving from one digest to another', () => {
    expect(newImage.review.api.map((c) => c.text)).toEqual([
      `~ Image: ${SAMPLE_IMAGE.slice(0, -52)} → sha256:${'1b'.repeat(6)}`,
    ]);
  });

  it('reads every route of the sample with its auth from the template', () => {
    const routes = [...routesOf(renderStack(sampleConfig())).values()].map((r) => `${r.route} ${r.auth}`);
    expect(routes).toContain('GET /health none');
    expect(routes).toContain('POST /quizzes api-key');
    expect(routes).toContain('PUT /quizzes/{quizId}/rounds/{round}/marks api-key');
    expect(routes).toHaveLength(12);
  });

  it('lists routes added and removed, and throttling and quota changes', () => {
    const base = sampleConfig();
    const next = {
      ...base,
      api: {
        ...base.api,
        throttling: { rateLimit: 50, burstLimit: 100 },
        usagePlan: { quota: { limit: 10000, period: 'MONTH' as const } },
        routes: [
          ...base.api.routes.filter((r) => r.path !== '/quizzes/{quizId}/scoreboard'),
          { ...base.api.routes[0], path: '/version' },
        ],
      },
    };
    expect(apiChanges(renderStack(base), renderStack(next)).map((c) => c.text)).toEqual([
      '+ GET /version (public)',
      '- GET /quizzes/{quizId}/scoreboard (was public)',
      '~ Throttling (stage prod, all routes): 100 req/s, burst 200 → 50 req/s, burst 100',
      '~ Usage plan UsagePlan throttling: 100 req/s, burst 200 → 50 req/s, burst 100',
      '~ Usage plan UsagePlan quota: none → 10000 requests per month',
    ]);
  });
});
