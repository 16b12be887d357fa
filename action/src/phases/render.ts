// Phase "config" and "render": load and validate the config, render the stack, and write the
// template (and its diagram) where later steps and artifacts can find it.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { suggestKey } from '../config/problems.js';
import { formatTemplate, renderStack } from '../render/index.js';
import { renderDiagram } from '../render/diagram.js';
import type { Template } from '../render/template.js';
import { type Inputs, stackNameFor } from './inputs.js';

export interface Rendered {
  config: Config;
  /** Directory of the config file: image paths in the config are relative to it. */
  configDir: string;
  stackName: string;
  template: Template;
  /** The file at templatePath: YAML in render mode, else exactly the body sent to CloudFormation. */
  templatePath: string;
  /** What CloudFormation receives: compact JSON, the smallest body under the 51,200-byte inline limit. */
  templateBody: string;
  /** Mermaid diagram in a fenced block, for the job summary. */
  diagram: string;
}

export async function loadAndRender(inputs: Inputs, workspace = process.cwd()): Promise<Rendered> {
  const configPath = resolve(workspace, inputs.config);
  // Problems name the file as the user wrote it, so annotations land on it in the pull request.
  const config = await loadConfig(configPath, inputs.config);
  const stackName = stackNameFor(inputs, config.name);
  const template = renderStack(config, { environment: inputs.environment });
  if (inputs.mode === 'deploy' || inputs.mode === 'plan') checkOverrides(inputs['parameter-overrides'], template);
  const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'private-fargate-api');
  await mkdir(outDir, { recursive: true });
  // YAML when the template is the product (render mode, for reading and export); otherwise the
  // very bytes CloudFormation receives, which also costs a deploy ~11 MiB less peak memory.
  const templateBody = JSON.stringify(template);
  const format = inputs.mode === 'render' ? 'yaml' : 'json';
  const templatePath = join(outDir, `${stackName}.template.${format}`);
  await writeFile(templatePath, format === 'yaml' ? formatTemplate(template, 'yaml') : templateBody);
  return {
    config,
    configDir: dirname(configPath),
    stackName,
    template,
    templatePath,
    templateBody,
    diagram: renderDiagram(config),
  };
}

/** parameter-overrides may only name the template's parameters: a typo would otherwise reach AWS as an error, or worse. */
export function checkOverrides(overrides: Record<string, string>, template: Template): void {
  const known = Object.keys(template.Parameters ?? {});
  const problems = Object.keys(overrides)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const guess = suggestKey(name, known);
      return `  - ${name}: the template has no such parameter${guess ? ` (did you mean ${guess}?)` : ''}`;
    });
  if (problems.length === 0) return;
  throw new Error(
    `Invalid inputs:\n${problems.join('\n')}\n  (input parameter-overrides; the template's parameters: ${known.join(', ') || 'none'}). Nothing was sent to AWS.`,
  );
}
