// The sample's real edits a reviewer meets, as configs (or, where the config has no such option,
// template edits): each is planned against the loopback AWS by plan-capture.ts.
import type { Config } from '../src/config/schema.js';
import type { Template, Value } from '../src/render/template.js';
import { sampleConfig } from './plan-capture.js';

/** GET /quizzes/{quizId}/teams (an api-key route in the sample) opened to everyone. */
export function routeMadePublic(base: Config = sampleConfig()): Config {
  const routes = base.api.routes.map((route) =>
    route.path === '/quizzes/{quizId}/teams' && route.methods.includes('GET')
      ? { ...route, auth: 'none' as const }
      : route,
  );
  return { ...base, api: { ...base.api, routes } };
}

export const memoryDoubled = (base: Config = sampleConfig()): Config => ({
  ...base,
  service: { ...base.service, memory: base.service.memory * 2 },
});

export const twoNatGateways = (base: Config = sampleConfig()): Config => ({
  ...base,
  network: { ...base.network, natGateways: 2 },
});

/** A new secret from SSM Parameter Store: the execution role gains ssm:GetParameters on it. */
export const newIamAction = (base: Config = sampleConfig()): Config => ({
  ...base,
  service: {
    ...base.service,
    secrets: { ...base.service.secrets, FEATURE_FLAGS: 'arn:aws:ssm:us-east-1:123456789012:parameter/pubquiz/flags' },
  },
});

/** The table's sort key renamed (the config keeps pk/sk fixed, so this edits the template). */
export function tableKeyChanged(template: Template): Template {
  const copy = structuredClone(template);
  const properties = copy.Resources.Table.Properties as Record<string, Value>;
  properties.AttributeDefinitions = [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'round', AttributeType: 'S' },
  ];
  properties.KeySchema = [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'round', KeyType: 'RANGE' },
  ];
  return copy;
}
