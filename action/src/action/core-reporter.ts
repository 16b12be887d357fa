// The engines' Reporter on @actions/core: groups fold in the log, secrets are masked by the
// runner (core.setSecret) before any line that could contain them is printed.
import * as core from '@actions/core';
import type { Reporter } from '../reporter.js';

export const coreReporter: Reporter = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
  group: (title, fn) => core.group(title, fn),
  secret: (value) => core.setSecret(value),
};
