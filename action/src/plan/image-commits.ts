// Which commits the deployed and the new image were built from: the image engine tags every image
// it pushes (or reuses) with the git SHA, so ECR knows. Best effort, bounded by a short deadline:
// without it the plan shows the digests alone.
import type { ECRClient } from '@aws-sdk/client-ecr';

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)@(sha256:[a-f0-9]{64})$/;
const GIT_SHA = /^[0-9a-f]{40}$/;
const LOOKUP_DEADLINE_MS = 15_000;

export interface ImageCommits {
  before?: string;
  after?: string;
}

/** The git SHA tag of each image, when both are ECR images and ECR has one. */
export async function imageCommits(
  ecr: (region: string) => Promise<ECRClient>,
  images: { before?: string; after?: string },
  signal?: AbortSignal,
): Promise<ImageCommits> {
  if (!images.before || !images.after || images.before === images.after) return {};
  const deadline = AbortSignal.timeout(LOOKUP_DEADLINE_MS);
  const abortSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const commitOf = async (uri: string): Promise<string | undefined> => {
    const [, registryId, region, repositoryName, imageDigest] = ECR_IMAGE.exec(uri) ?? [];
    if (!region) return undefined; // not an ECR image
    const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
    try {
      const { imageDetails } = await (
        await ecr(region)
      ).send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [{ imageDigest }] }), { abortSignal });
      return imageDetails?.[0]?.imageTags?.find((tag) => GIT_SHA.test(tag));
    } catch {
      return undefined; // not found, no permission, deadline: the digests still tell the change
    }
  };
  const [before, after] = await Promise.all([commitOf(images.before), commitOf(images.after)]);
  return { before, after };
}
