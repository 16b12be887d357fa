// Warm time to build and format a plan review (risks, API users, security, cost) from a change
// set and the deployed and rendered templates: the sample with one route made public, and a
// 200-route API where every route is new against the sample. Run: npx tsx action/bench/plan-review.bench.ts
// (goal: under 20 ms for the 200-route API, so a review never slows a plan noticeably).
import type { ResourceChange } from '@aws-sdk/client-cloudformation';
import { fitComment, reviewMarkdown, reviewText } from '../src/plan/format.js';
import { buildReview } from '../src/plan/review.js';
import { renderStack } from '../src/render/index.js';
import type { Template } from '../src/render/template.js';
import { configOf, manyRoutesInput, sampleInput } from '../test-support/configs.js';
import { timeWarm } from './stats.js';

const deployed = renderStack(configOf(sampleInput));
const publicRoute = renderStack(
  configOf(sampleInput, {
    api: { routes: sampleInput.api!.routes!.map((r) => (r.auth === 'api-key' ? { ...r, auth: 'none' as const } : r)) },
  }),
);
const manyRoutes = renderStack(configOf(manyRoutesInput(200)));

/** The change set CloudFormation would compute, approximated by resource presence (enough for timing). */
function changesBetween(before: Template, after: Template): ResourceChange[] {
  const added = Object.entries(after.Resources)
    .filter(([id]) => !before.Resources[id])
    .map(([id, r]) => ({ Action: 'Add' as const, LogicalResourceId: id, ResourceType: r.Type }));
  const removed = Object.entries(before.Resources)
    .filter(([id]) => !after.Resources[id])
    .map(([id, r]) => ({ Action: 'Remove' as const, LogicalResourceId: id, ResourceType: r.Type }));
  return [...added, ...removed];
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
console.log(`plan review benchmark: 200 warm runs after 20 warm-up runs, Node ${process.version}`);
for (const [name, rendered] of [
  ['sample, routes made public', publicRoute],
  ['200-route API', manyRoutes],
] as const) {
  const changes = changesBetween(deployed, rendered);
  const build = () =>
    buildReview({
      stackName: 'pubquiz',
      region: 'us-east-1',
      changes,
      rendered,
      deployed: { template: deployed, parameters: {}, terminationProtection: false },
      imageParameter: 'ImageUri',
      terminationProtectionRequested: false,
    });
  const review = build();
  const built = timeWarm(build);
  const formatted = timeWarm(() => fitComment(reviewMarkdown(build())) + reviewText(build()));
  console.log(
    `${name.padEnd(27)} ${String(changes.length).padStart(3)} changes, ${String(review.risks.length).padStart(3)} risks | build: median ${ms(built.median)}, p95 ${ms(built.p95)} | build + Markdown + text: median ${ms(formatted.median)}, p95 ${ms(formatted.p95)} | Markdown ${reviewMarkdown(review).length} chars`,
  );
}
