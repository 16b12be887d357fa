// The sample quiz's templates as committed in cloudformation/: the default stack, the v1 VPC
// link variant (the original console setup), a no-NAT variant on VPC endpoints, a canary rollout, the bootstrap
// template and the diagram. `npm run export` writes them; a test fails when they drift.
import { parse } from 'yaml';
import { parseConfig } from '../config/load.js';
import { type Config, configSchema } from '../config/schema.js';
import { renderBootstrap } from '../render/bootstrap.js';
import { formatTemplate, renderStack } from '../render/index.js';
import type { Template } from '../render/template.js';
import { diagramMarkdown, type RenderedFile } from './render.js';

export const EXPORT_SOURCE = 'sample-api/deploy.yml';
export const EXPORT_DIR = 'cloudformation';
/** Who may deploy, when the sample has no bootstrap section of its own. */
const EXAMPLE_REPOSITORY = 'example-org/pubquiz';

/** The config as parsed from YAML, before validation: variants change it and validate again. */
type RawConfig = Record<string, object | undefined>;

interface Variant {
  suffix: string;
  what: string;
  change: (raw: RawConfig) => void;
}

const variants: Variant[] = [
  { suffix: '', what: 'the default: VPC link v2, one NAT gateway', change: () => {} },
  {
    suffix: '-vpclink-v1',
    what: 'VPC link v1, as in the original console setup (legacy: slow to create, NLB only)',
    change: (raw) => (raw.api = { ...raw.api, vpcLink: 'v1' }),
  },
  {
    suffix: '-vpc-endpoints',
    what: 'no NAT gateway: the tasks reach ECR, S3, CloudWatch Logs and DynamoDB through VPC endpoints',
    change: (raw) => (raw.network = { ...raw.network, natGateways: 0, vpcEndpoints: true }),
  },
  {
    suffix: '-canary',
    what: "a canary rollout on ECS's own deployments: 10 % of the traffic for 5 minutes, then all of it, rolled back by the alarms",
    change: (raw) => {
      const service = raw.service as { deployment?: object };
      raw.service = {
        ...service,
        deployment: { ...service.deployment, strategy: 'canary', canary: { percent: 10, bakeTimeMinutes: 5 } },
      };
    },
  },
];

/** Every file of cloudformation/ that is rendered (README.md is written by hand). */
export function exportFiles(sampleYaml: string): RenderedFile[] {
  const base = parseConfig(sampleYaml, EXPORT_SOURCE);
  const variant = (change: (raw: RawConfig) => void): Config => {
    const raw = parse(sampleYaml) as RawConfig;
    change(raw);
    return configSchema.parse(raw);
  };
  const stacks = variants.map(({ suffix, what, change }) => ({
    name: `${base.name}${suffix}.template.yaml`,
    content: withHeader(renderStack(variant(change)), what),
  }));
  const withBootstrap = base.bootstrap ? base : variant((raw) => (raw.bootstrap = { repository: EXAMPLE_REPOSITORY }));
  const bootstrapWhat = `once per account: lets ${withBootstrap.bootstrap!.repository} deploy through GitHub OIDC`;
  return [
    ...stacks,
    { name: 'bootstrap.template.yaml', content: withHeader(renderBootstrap(withBootstrap), bootstrapWhat) },
    { name: `${base.name}.diagram.md`, content: diagramMarkdown(base) },
  ];
}

function withHeader(template: Template, what: string): string {
  return `# Rendered from ${EXPORT_SOURCE} by \`npm run export\`: ${what}.\n# Edit the config or the renderer, not this file.\n${formatTemplate(template, 'yaml')}`;
}
