import { beforeAll, describe, expect, it } from '@jest/globals';
import { planEdit, type CapturedPlan } from '../../test-support/plan-capture.js';
import { routeMadePublic, tableKeyChanged } from '../../test-support/sample-edits.js';
import { fitComment, reviewMarkdown, RISKS_END } from './format.js';
import { buildReview } from './review.js';
import { changesMarkdown } from '../deploy/changes.js';

describe('the review in Markdown', () => {
  let keyAndRoute: CapturedPlan;
  beforeAll(async () => {
    keyAndRoute = await planEdit({ config: routeMadePublic(), editTemplate: tableKeyChanged });
  });

  it('leads with the risks, most severe first, then API users, security, cost and drift', () => {
    const markdown = reviewMarkdown(keyAndRoute.review);
    const headings = markdown.split('\n').filter((line) => line.startsWith('#### '));
    expect(headings).toEqual([
      '#### ⚠️ Risks (5)',
      "#### 👥 For the API's users",
      '#### 🔐 Security',
      '#### 💰 Cost: $110.77/month → $110.77/month, +$0.00 (estimate, us-east-1 prices as of 2026-11-29)',
      '#### ✅ Drift: in sync',
    ]);
    const risks = markdown.split('\n').filter((line) => line.startsWith('- **') || line.startsWith('- replace'));
    expect(risks.slice(0, 2)).toEqual([
      '- **DATA LOSS**: Table (AWS::DynamoDB::Table) is replaced because KeySchema changed: the new one starts without its items; the old one is kept (UpdateReplacePolicy: Retain) but the stack stops using it',
      '- **PUBLIC**: GET /quizzes/{quizId}/teams: api-key → public — became PUBLIC',
    ]);
  });

  it('fits a huge plan into a GitHub comment by cutting the tail, never the risk list', () => {
    const { review, result } = keyAndRoute;
    const many = Array.from({ length: 400 }, (_, i) => ({
      ...result.changes[0],
      LogicalResourceId: `Route${i}`.repeat(20),
    }));
    const body = `${reviewMarkdown(review)}\n${changesMarkdown([...result.changes, ...many], 'pubquiz')}\n<details><summary>Architecture</summary>\n\n\`\`\`mermaid\n${'a --> b\n'.repeat(2000)}\`\`\`\n\n</details>\n`;
    expect(body.length).toBeGreaterThan(65_536);
    const fitted = fitComment(body, 65_336);
    expect(fitted.length).toBeLessThanOrEqual(65_336);
    expect(fitted).toContain(reviewMarkdown(review).slice(0, reviewMarkdown(review).indexOf(RISKS_END)));
    expect(fitted).toMatch(
      /_… truncated to fit GitHub's comment size limit: the full plan is in the job summary\._\n$/,
    );
    expect(fitComment('short', 100)).toBe('short');
  });

  it('keeps the whole risk list even when it alone is longer than the room left', () => {
    const review = buildReview({
      stackName: 'x',
      region: 'us-east-1',
      changes: Array.from({ length: 50 }, (_, i) => ({
        Action: 'Remove' as const,
        LogicalResourceId: `Gone${i}`,
        ResourceType: 'AWS::SNS::Topic',
      })),
      rendered: keyAndRoute.rendered,
      imageParameter: 'ImageUri',
      terminationProtectionRequested: false,
    });
    const markdown = reviewMarkdown(review);
    const fitted = fitComment(`${markdown}${'x'.repeat(5000)}`, markdown.indexOf(RISKS_END) + RISKS_END.length + 150);
    expect(fitted.length).toBeLessThanOrEqual(markdown.indexOf(RISKS_END) + RISKS_END.length + 150);
    expect(fitted).not.toContain('xxxxx');
    expect(fitted).toContain('Gone49 (AWS::SNS::Topic) leaves the stack and is deleted');
  });
});
