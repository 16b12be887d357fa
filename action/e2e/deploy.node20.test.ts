import { deployScenarios } from './deploy-scenarios.js';

deployScenarios('node20');
