// Phase "mark": after a deploy the image the stack now runs gets the tag deployed-<stack> (moved
// off the image it ran before), which the repository's lifecycle policy never expires, so a
// scale-out or a rollback can always pull it however many pull request builds come after. After a
// delete the tag goes, and the image may expire once no stack runs it.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { DEPLOYED_TAG_PATTERN, deployedTag, removeTag, tagImage } from '../image/ecr.js';
import type { Reporter } from '../reporter.js';
import type { Rendered } from './render.js';

/** Longest the tagging may take: two small ECR calls. */
const DEADLINE_MS = 60_000;

/** The config's repository and the digest, when the stack runs an image of that repository pinned by digest. */
export function deployedImageOf(
  rendered: Pick<Rendered, 'config'>,
  imageUri: string,
): { repository: string; digest: string } | undefined {
  const repository = rendered.config.image.repository ?? rendered.config.name;
  const [, repo, digest] = /^[^/]+\/(.+)@(sha256:[a-f0-9]{64})$/.exec(imageUri) ?? [];
  return repo === repository && digest ? { repository, digest } : undefined;
}

const deadline = (signal?: AbortSignal) =>
  signal ? AbortSignal.any([signal, AbortSignal.timeout(DEADLINE_MS)]) : AbortSignal.timeout(DEADLINE_MS);

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Never fails the deploy (the stack is already updated); a tag that cannot be set is a warning saying what is at risk. */
export async function markDeployedImage(
  ecr: ECRClient,
  rendered: Pick<Rendered, 'config' | 'stackName'>,
  imageUri: string,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<void> {
  const tag = deployedTag(rendered.stackName);
  const image = deployedImageOf(rendered, imageUri);
  if (!image) {
    reporter.info(`${imageUri} is not an image of the config's repository pinned by digest: not tagged ${tag}.`);
    return;
  }
  const at = `${image.repository}@${image.digest}`;
  const risk = `the repository's lifecycle policy may expire the image stack ${rendered.stackName} runs`;
  try {
    if (await tagImage(ecr, image.repository, image.digest, tag, deadline(signal))) {
      reporter.info(`Tagged ${at} ${tag}: the lifecycle policy keeps it while the stack runs it.`);
    } else {
      reporter.warning(
        `Could not move the tag ${tag} to ${at}: the repository's tags are immutable with no exclusion for ${DEPLOYED_TAG_PATTERN}, and ${risk}. Add ${DEPLOYED_TAG_PATTERN} to its tag mutability exclusions.`,
      );
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    reporter.warning(`Could not tag ${at} ${tag} (${reason(error)}): ${risk}.`);
  }
}

/** After a delete: the stack runs nothing any more, so its image need not be kept for it. */
export async function unmarkDeployedImage(
  ecr: ECRClient,
  rendered: Pick<Rendered, 'config' | 'stackName'>,
  reporter: Reporter,
  signal?: AbortSignal,
): Promise<void> {
  const tag = deployedTag(rendered.stackName);
  const repository = rendered.config.image.repository ?? rendered.config.name;
  try {
    if (await removeTag(ecr, repository, tag, deadline(signal)))
      reporter.info(`Removed the tag ${repository}:${tag}: the image may expire once no stack runs it.`);
  } catch (error) {
    if (signal?.aborted) throw error;
    reporter.warning(
      `Could not remove the tag ${repository}:${tag} (${reason(error)}): the lifecycle policy keeps that image until the tag is removed.`,
    );
  }
}
