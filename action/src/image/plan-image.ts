// The image a plan shows, found without building or pushing. A plan runs for pull requests, whose
// code nobody has reviewed yet: anything it pushed where deploys pull from could later be reused
// by a deploy through the content-hash skip. So a plan only looks: when the deploy repository
// already has an image for this source (pushed by a deploy), the plan pins it by digest, exactly
// as a deploy would; otherwise it names the tag the deploy will build.
import { DescribeRepositoriesCommand, RepositoryNotFoundException, type ECRClient } from '@aws-sdk/client-ecr';
import type { Reporter } from '../reporter.js';
import { contentHash, contentTag, type BuildInputs } from './content-hash.js';
import { findImageByTag } from './ecr.js';

export interface PlanImage {
  imageUri: string;
  /** Whether a deploy already pushed the image for this source. */
  found: boolean;
}

export async function imageForPlan(
  ecr: ECRClient,
  repository: string,
  inputs: BuildInputs,
  reporter: Reporter,
): Promise<PlanImage> {
  const tag = contentTag(await contentHash(inputs));
  const uri = await repositoryUri(ecr, repository);
  const digest = uri ? await findImageByTag(ecr, repository, tag) : undefined;
  if (uri && digest) {
    reporter.info(`Plan: ${uri}:${tag} was pushed by a deploy; the plan uses it, pinned as ${digest}.`);
    return { imageUri: `${uri}@${digest}`, found: true };
  }
  const reference = `${uri ?? repository}:${tag}`;
  reporter.info(
    `Plan: nothing is built or pushed for a plan, and ${repository} has no image for this source yet, so the change set shows the task definition moving to ${reference}; the deploy builds that image and pins it by digest.`,
  );
  return { imageUri: reference, found: false };
}

async function repositoryUri(ecr: ECRClient, name: string): Promise<string | undefined> {
  try {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return repositories?.[0]?.repositoryUri;
  } catch (error) {
    if (error instanceof RepositoryNotFoundException) return undefined;
    throw error;
  }
}
