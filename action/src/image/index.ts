// The image step's public surface, for the action (main and post step) and the CLI.
export { buildAndPushImage, type EngineOptions, type ImageRequest, type ImageResult } from './engine.js';
export { builderNames, type BuilderChoice, type BuilderName } from './builders.js';
export { logout } from './login.js';
