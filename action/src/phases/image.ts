// Phase "image": the image the stack runs, pinned by digest — the `image` input as given, or
// the config's image built and pushed to ECR (nothing is built when ECR already has it). A plan
// builds nothing and pushes nothing: it looks the image up.
import { ECRClient } from '@aws-sdk/client-ecr';
import { resolve } from 'node:path';
import { explainErrors, requestHandler } from '../deploy/aws-config.js';
import { buildAndPushImage, type EngineOptions, type ImageResult } from '../image/index.js';
import { imageForPlan } from '../image/plan-image.js';
import type { Reporter } from '../reporter.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';

/** An ECR client with the run's signal and the per-attempt limits, as for the deploy clients. */
export function createEcrClient(region: string, signal?: AbortSignal): ECRClient {
  return explainErrors(new ECRClient({ region, requestHandler: requestHandler(signal) }), 'ECR', region, signal);
}

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
  const ecr = createEcrClient(region, options.signal);
  const context = resolve(rendered.configDir, image.context);
  if (inputs.mode === 'plan') {
    // A plan (a pull request) never pushes where deploys pull from: see image/plan-image.ts.
    return imageForPlan(
      ecr,
      image.repository ?? name,
      {
        context,
        dockerfile: image.dockerfile ? resolve(rendered.configDir, image.dockerfile) : resolve(context, 'Dockerfile'),
        platform: image.platform,
        buildArgs: image.buildArgs,
        target: image.target,
      },
      reporter,
    );
  }
  return buildAndPushImage(
    ecr,
    {
      context,
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
