// The action's entry point (dist/index.js): everything happens in run(), which tests import.
import { run } from './action/run.js';

await run();
