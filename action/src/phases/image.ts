// Phase "image": the image the stack runs, pinned by digest — the `image` input as given, or
// the config's image built and pushed to ECR (nothing is built when ECR already has it).
import { ECRClient } from '@aws-sdk/client-ecr';
import { resolve } from 'node:path';
import { explainErrors, requestHandler } from '../deploy/aws-config.js';
import { buildAndPushImage, type EngineOptions, type ImageResult } from '../image/index.js';
import type { Reporter } from '../reporter.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';

/** The image to deploy; `built` tells whether a builder ran (and is logged in to `registry`). */
export type ResolvedImage = Pick<ImageResult, 'imageUri'> & Partial<ImageResult>;

export async function resolveImage(
  inputs: Inputs,
  rendered: Rendered,
  region: string,
  reporter: Reporter,
  options: Pick<EngineOptions, 'onLogin' | 'signal'> = {},
): Promise<ResolvedImage> {
  if (inputs.image) {
    reporter.info(`Deploying the given image ${inputs.image}; nothing is built.`);
    return { imageUri: inputs.image };
  }
  const { image, name } = rendered.config;
  // The run's signal and the per-attempt limits, as for the deploy clients.
  const ecr = explainErrors(
    new ECRClient({ region, requestHandler: requestHandler(options.signal) }),
    'ECR',
    region,
    options.signal,
  );
  return buildAndPushImage(
    ecr,
    {
      context: resolve(rendered.configDir, image.context),
      dockerfile: image.dockerfile && resolve(rendered.configDir, image.dockerfile),
      repository: image.repository ?? name,
      platform: image.platform,
      buildArgs: image.buildArgs,
      target: image.target,
      keepImages: image.keepImages,
      gitSha: process.env.GITHUB_SHA,
      builder: inputs.builder,
    },
    reporter,
    options,
  );
}
