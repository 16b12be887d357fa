// The deploy engine's public API, for the action entry and the CLI.
export { deployStack, DEFAULT_CAPABILITIES, STACK_LEVEL_CHANGES } from './engine.js';
export { deleteStack } from './delete.js';
export type { DeleteRequest } from './delete.js';
export type { DeployRequest, DeployResult } from './engine.js';
export type { StackRead } from './stack.js';
export { createDeployClients, CallCounter } from './clients.js';
export type { DeployClients, ClientOptions } from './clients.js';
export { changesMarkdown, changesText, changeRows, changeCounts } from './changes.js';
export type { ChangeRow } from './changes.js';
export { smokeTest, joinUrl } from './smoke.js';
export type { SmokeOptions, SmokeResult } from './smoke.js';
export { DeployError } from './operation.js';
export type { RootCause } from './operation.js';
export { CancelledError, TimeoutError, DEFAULT_POLL, systemClock } from './wait.js';
export type { Clock, PollSettings } from './wait.js';
