// ECR lifecycle policies as ECR evaluates them: rules in priority order, each selecting images by
// tag status and tag patterns; an image a rule selects can no longer be expired by a later rule;
// a count rule expires all but the newest N it selected, an age rule those pushed too long ago.
// The fake checks a policy when it is put, and tests run it to see what a repository would lose.
import { AwsError } from './errors.js';

export interface LifecycleImage {
  imageDigest: string;
  imageTags: string[];
  /** Milliseconds since the epoch. */
  imagePushedAt: number;
}

interface Selection {
  tagStatus: 'tagged' | 'untagged' | 'any';
  tagPatternList?: string[];
  tagPrefixList?: string[];
  countType: 'imageCountMoreThan' | 'sinceImagePushed';
  countUnit?: 'days';
  countNumber: number;
}

interface Rule {
  rulePriority: number;
  selection: Selection;
  action: { type: 'expire' };
}

const DAY_MS = 24 * 60 * 60 * 1000;

const invalid = (message: string) =>
  new AwsError(
    'InvalidParameterException',
    `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${message}'`,
  );

/** The rules of a policy, sorted by priority; throws what ECR answers for a policy it refuses. */
export function parseLifecyclePolicy(text: string): Rule[] {
  let parsed: { rules?: Rule[] };
  try {
    parsed = JSON.parse(text) as { rules?: Rule[] };
  } catch {
    throw invalid('could not parse policy');
  }
  const rules = [...(parsed.rules ?? [])].sort((a, b) => a.rulePriority - b.rulePriority);
  if (rules.length === 0) throw invalid('Lifecycle policy must contain at least one rule.');
  const priorities = new Set(rules.map((r) => r.rulePriority));
  if (priorities.size !== rules.length) throw invalid('Rule priorities must be unique.');
  rules.forEach(({ selection: s, action }, i) => {
    if (action?.type !== 'expire') throw invalid('Rule action type must be expire.');
    const lists = [...(s.tagPatternList ?? []), ...(s.tagPrefixList ?? [])];
    if (s.tagStatus === 'tagged' && lists.length === 0)
      throw invalid('A tagged rule must specify tagPatternList or tagPrefixList.');
    if (s.tagStatus !== 'tagged' && lists.length > 0)
      throw invalid('Only a tagged rule may specify tagPatternList or tagPrefixList.');
    if (s.tagStatus === 'any' && i !== rules.length - 1)
      throw invalid('A rule with tagStatus any must have the highest rulePriority.');
    if ((s.tagPatternList ?? []).some((p) => p.split('*').length - 1 > 4))
      throw invalid('A tag pattern may contain at most four wildcards.');
    if (!Number.isInteger(s.countNumber) || s.countNumber < 1) throw invalid('countNumber must be a positive integer.');
    if (s.countType === 'sinceImagePushed' && s.countUnit !== 'days')
      throw invalid('A sinceImagePushed rule must specify countUnit days.');
    if (s.countType === 'imageCountMoreThan' && s.countUnit !== undefined)
      throw invalid('An imageCountMoreThan rule must not specify countUnit.');
  });
  return rules;
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** Whether an image meets a rule's tagging requirements (every listed pattern or prefix must match one of its tags). */
function selects(selection: Selection, image: LifecycleImage): boolean {
  if (selection.tagStatus === 'any') return true;
  if (selection.tagStatus === 'untagged') return image.imageTags.length === 0;
  const patterns = [
    ...(selection.tagPatternList ?? []).map(wildcard),
    ...(selection.tagPrefixList ?? []).map((prefix) => wildcard(`${prefix}*`)),
  ];
  return patterns.every((pattern) => image.imageTags.some((tag) => pattern.test(tag)));
}

/** The digests the policy expires at `now`. */
export function expiredDigests(policyText: string, images: LifecycleImage[], now: number): Set<string> {
  const claimed = new Set<string>();
  const expired = new Set<string>();
  for (const { selection } of parseLifecyclePolicy(policyText)) {
    const selected = images
      .filter((image) => !claimed.has(image.imageDigest) && selects(selection, image))
      .sort((a, b) => b.imagePushedAt - a.imagePushedAt);
    for (const image of selected) claimed.add(image.imageDigest);
    const expiring =
      selection.countType === 'imageCountMoreThan'
        ? selected.slice(selection.countNumber)
        : selected.filter((image) => image.imagePushedAt < now - selection.countNumber * DAY_MS);
    for (const image of expiring) expired.add(image.imageDigest);
  }
  return expired;
}
