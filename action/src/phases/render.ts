// Phase "config" and "render": load and validate the config, render the stack, and write the
// template (and its diagram) where later steps and artifacts can find it.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
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
  templatePath: string;
  /** Mermaid diagram in a fenced block, for the job summary. */
  diagram: string;
}

export async function loadAndRender(inputs: Inputs, workspace = process.cwd()): Promise<Rendered> {
  const configPath = resolve(workspace, inputs.config);
  // Problems name the file as the user wrote it, so annotations land on it in the pull request.
  const config = await loadConfig(configPath, inputs.config);
  const stackName = stackNameFor(inputs, config.name);
  const template = renderStack(config, { environment: inputs.environment });
  const outDir = join(process.env.RUNNER_TEMP || tmpdir(), 'private-fargate-api');
  await mkdir(outDir, { recursive: true });
  // YAML when the template is the product (render mode, for reading and export); otherwise JSON,
  // the form CloudFormation receives, which also costs a deploy ~11 MiB less peak memory.
  const format = inputs.mode === 'render' ? 'yaml' : 'json';
  const templatePath = join(outDir, `${stackName}.template.${format}`);
  await writeFile(templatePath, formatTemplate(template, format));
  return { config, configDir: dirname(configPath), stackName, template, templatePath, diagram: renderDiagram(config) };
}
