// The review as people read it: Markdown for the job summary and the pull request comment, plain
// text for the log and the terminal. The risk list always comes first, so a comment cut to fit
// GitHub's size limit loses the long tail, never the risks.
import { costDelta, type Estimate } from './cost/estimate.js';
import { driftLines } from './drift.js';
import type { PlanReview } from './review.js';
import { RISK_LABEL } from './risk.js';

export const money = (usd: number) => `$${usd.toFixed(2)}`;
const signed = (usd: number) => `${usd < 0 ? '-' : '+'}${money(Math.abs(usd))}`;

export function costHeadline({ before, after }: PlanReview['cost']): string {
  const total = (e: Estimate) => `${money(e.total)}/month${e.partial ? ' (partial)' : ''}`;
  const basis = `estimate, ${after.region} prices as of ${after.priceDate}`;
  if (!before) return `${total(after)} (${basis})`;
  return `${total(before)} → ${total(after)}, ${signed(after.total - before.total)} (${basis})`;
}

function costNotes(estimate: Estimate): string[] {
  const v = estimate.volumes;
  const notes = [
    `Estimates, not a bill. Usage lines assume ${v.requestsPerMonth / 1e6}M API requests, ${v.logGbPerMonth} GB of logs, ${v.egressGbPerMonth} GB to AWS services, ${v.dynamoDbWritesPerMonth / 1e6}M DynamoDB writes and ${v.dynamoDbReadsPerMonth / 1e6}M reads a month; data transfer out, NLCU and storage are not included.`,
  ];
  const missing = [...new Set(estimate.lines.flatMap((l) => l.missing))];
  if (missing.length)
    notes.push(
      `Partial: the price table has no ${estimate.region} price for ${missing.join(', ')}; those lines are left out of the total.`,
    );
  return notes;
}

/** `Fargate … vCPU | 2 tasks × 0.25 vCPU × 730 h | $14.78 | $29.55 | +$14.78` rows. */
function costRows({ before, after }: PlanReview['cost']): string[][] {
  const show = (n: number | undefined) => (n === undefined ? 'no price' : money(n));
  if (!before) return after.lines.map((l) => [l.item, l.quantity, show(l.monthly)]);
  return costDelta(before, after).map((d) => {
    const quantity = after.lines.find((l) => l.item === d.item)?.quantity ?? 'removed';
    const delta =
      d.before === undefined || d.after === undefined ? '' : d.after === d.before ? '' : signed(d.after - d.before);
    return [d.item, quantity, show(d.before), show(d.after), delta];
  });
}

export function estimateText(estimate: Estimate): string {
  const rows = estimate.lines.map((l) => [l.item, l.quantity, l.monthly === undefined ? 'no price' : money(l.monthly)]);
  return [`Cost: ${costHeadline({ after: estimate })}`, ...table(rows), ...costNotes(estimate)].join('\n');
}

export function estimateMarkdown(estimate: Estimate): string {
  return [
    `#### 💰 Cost: ${costHeadline({ after: estimate })}`,
    '',
    '| Line | Quantity | Monthly |',
    '| --- | --- | --- |',
    ...estimate.lines.map(
      (l) => `| ${l.item} | ${l.quantity} | ${l.monthly === undefined ? 'no price' : money(l.monthly)} |`,
    ),
    '',
    ...costNotes(estimate).map((n) => `_${n}_`),
    '',
  ].join('\n');
}

function table(rows: string[][]): string[] {
  const [header] = rows;
  if (!header) return [];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map(
    (r) =>
      `  ${r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd()}`,
  );
}

/** For the log and the terminal. */
export function reviewText(review: PlanReview): string {
  const lines: string[] = review.baselineNote ? [review.baselineNote] : [];
  const { risks, api, security, drift } = review;
  lines.push(risks.length ? `Risks (${risks.length}), most severe first:` : 'Risks: none found.');
  const width = Math.max(0, ...risks.map((r) => RISK_LABEL[r.severity].length));
  for (const risk of risks) lines.push(`  ${RISK_LABEL[risk.severity].padEnd(width)}  ${risk.text}`);
  lines.push(api.length ? "For the API's users:" : "For the API's users: no route, auth, throttling or image change.");
  for (const change of api) lines.push(`  ${change.text}`);
  lines.push(security.length ? 'Security:' : 'Security: no IAM, security group or exposure change.');
  for (const change of security) lines.push(`  ${change.text}`);
  lines.push(`Cost: ${costHeadline(review.cost)}`);
  lines.push(...table(costRows(review.cost)));
  lines.push(...costNotes(review.cost.after).map((n) => `  ${n}`));
  if (drift) lines.push(`Drift: ${driftLines(drift, review.touched).join('\n  ')}`);
  return lines.join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** For the job summary and the PR comment; the risk list first. */
export function reviewMarkdown(review: PlanReview): string {
  const { risks, api, security, drift } = review;
  const out: string[] = review.baselineNote ? [`> ${review.baselineNote}`, ''] : [];
  if (risks.length) {
    out.push(`#### ⚠️ Risks (${risks.length})`, '');
    for (const risk of risks) {
      const label =
        risk.severity === 'data-loss' || risk.severity === 'public'
          ? `**${RISK_LABEL[risk.severity]}**`
          : RISK_LABEL[risk.severity];
      out.push(`- ${label}: ${risk.text}`);
    }
  } else out.push('#### ✅ Risks: none found', '');
  out.push('', RISKS_END, '');
  out.push("#### 👥 For the API's users", '');
  out.push(
    ...(api.length
      ? api.map((c) => `- ${c.public ? `**${c.text}**` : c.text}`)
      : ['No route, auth, throttling or image change.']),
  );
  out.push('', '#### 🔐 Security', '');
  out.push(
    ...(security.length
      ? security.map((c) => `- ${c.exposure ? `**${c.text}**` : c.text}`)
      : ['No IAM, security group or exposure change.']),
  );
  out.push('', `#### 💰 Cost: ${costHeadline(review.cost)}`, '');
  const rows = costRows(review.cost);
  out.push(
    review.cost.before ? '| Line | Quantity | Deployed | This change | Δ |' : '| Line | Quantity | Monthly |',
    review.cost.before ? '| --- | --- | --- | --- | --- |' : '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
    ...costNotes(review.cost.after).map((n) => `_${n}_`),
  );
  if (drift) {
    const icon = drift.status === 'DRIFTED' ? '🔀' : drift.status === 'IN_SYNC' ? '✅' : '❔';
    out.push(
      '',
      `#### ${icon} Drift: ${drift.status === 'DRIFTED' ? 'changed by hand since the last deploy' : drift.status === 'IN_SYNC' ? 'in sync' : 'not checked'}`,
      '',
    );
    out.push(...driftLines(drift, review.touched).map((l) => `- ${l}`));
  }
  return `${out.join('\n')}\n`;
}

/** Marks where the risk list ends: a comment is never cut before it. */
export const RISKS_END = '<!-- end of risks -->';

/** GitHub rejects issue comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * `body` cut to `limit` characters at a line boundary, keeping everything up to the end of the
 * risk list, closing any open code fence or <details>, and saying what was left out.
 */
export function fitComment(body: string, limit = COMMENT_LIMIT, where = 'the job summary'): string {
  if (body.length <= limit) return body;
  const note = `\n\n_… truncated to fit GitHub's comment size limit: the full plan is in ${where}._\n`;
  // Room for closing a code fence and a few <details> the cut may leave open.
  const closersRoom = 60;
  const risksEnd = body.indexOf(RISKS_END);
  let cut = body.lastIndexOf('\n', limit - note.length - closersRoom);
  // Only a risk list longer than the whole comment loses lines: everything after it goes first.
  if (risksEnd >= 0 && cut < risksEnd + RISKS_END.length)
    cut = Math.min(limit - note.length, risksEnd + RISKS_END.length);
  let kept = body.slice(0, Math.max(cut, 0));
  if ((kept.match(/^```/gm) ?? []).length % 2 === 1) kept += '\n```';
  const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open && i < 4; i++) kept += '\n</details>';
  return kept + note;
}

/** Estimates side by side (the README compares the sample with a NAT gateway and with VPC endpoints). */
export function compareEstimatesMarkdown(columns: [[string, Estimate], ...[string, Estimate][]]): string {
  const items = [...new Set(columns.flatMap(([, e]) => e.lines.map((l) => l.item)))];
  const price = (e: Estimate, item: string) => {
    const found = e.lines.find((l) => l.item === item);
    return !found ? '—' : found.monthly === undefined ? 'no price' : money(found.monthly);
  };
  const total = (e: Estimate) => `**${money(e.total)}**${e.partial ? ' (partial)' : ''}`;
  return [
    `| Line (${columns[0][1].region}, prices as of ${columns[0][1].priceDate}) | ${columns.map(([name]) => name).join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    ...items.map((item) => `| ${item} | ${columns.map(([, e]) => price(e, item)).join(' | ')} |`),
    `| **Total per month** | ${columns.map(([, e]) => total(e)).join(' | ')} |`,
  ].join('\n');
}
