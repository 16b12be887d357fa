// Phase "image": the image the stack runs, pinned by digest — the `image` input as given, or
// the config's image built and pushed to ECR (nothing is built when ECR already has it).
import * as core from '@actions/core';
import { ECRClient } from '@aws-sdk/client-ecr';
import { resolve } from 'node:path';
import { buildAndPushImage } from '../image/engine.js';
import type { Reporter } from '../reporter.js';
import type { Inputs } from './inputs.js';
import type { Rendered } from './render.js';
import { STATE_BUILDER, STATE_REGISTRY } from './state.js';

export async function resolveImage(inputs: Inputs, rendered: Rendered, region: string, reporter: Reporter): Promise<string> {
  if (inputs.image) {
    reporter.info(`Deploying the given image ${inputs.image}; nothing is built.`);
    return inputs.image;
  }
  const { image, name } = rendered.config;
  const result = await buildAndPushImage(
    new ECRClient({ region }),
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
  );
  // The post step logs the builder out of the registry again.
  if (result.builder) {
    core.saveState(STATE_REGISTRY, result.registry);
    core.saveState(STATE_BUILDER, result.builder);
  }
  return result.imageUri;
}
