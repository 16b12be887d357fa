// The action's post step (dist/post.js): log the builder out of the registry the main step
// logged into, so no registry credentials outlive the job on a self-hosted runner.
import * as core from '@actions/core';
import { builderNames, logout, type BuilderName } from './image/index.js';
import { STATE_BUILDER, STATE_REGISTRY } from './action/state.js';

const registry = core.getState(STATE_REGISTRY);
const builder = core.getState(STATE_BUILDER) as BuilderName;
if (registry && builderNames.includes(builder)) {
  try {
    if (await logout(builder, registry)) core.info(`Logged ${builder} out of ${registry}.`);
  } catch (error) {
    core.warning(`Could not log out of ${registry}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
