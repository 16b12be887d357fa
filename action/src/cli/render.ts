// `render`: the config in, CloudFormation (and optionally the bootstrap template and a Mermaid
// diagram) out, with no AWS account involved. Everything is rendered before anything is written,
// so a failure leaves the output directory as it was.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { S3_TEMPLATE_LIMIT, exposureSentence } from '../config/project.js';
import type { Config } from '../config/schema.js';
import { INLINE_TEMPLATE_LIMIT } from '../deploy/template-source.js';
import { renderBootstrap } from '../render/bootstrap.js';
import { renderDiagram } from '../render/diagram.js';
import { estimateCost } from '../plan/cost/estimate.js';
import { estimateText } from '../plan/format.js';
import { formatTemplate, renderStack } from '../render/index.js';
import { type CliIO, type Command, EXIT, oneOf, PROGRAM, UsageError } from './command.js';
import { readConfig } from './validate.js';

export const formats = ['yaml', 'json'] as const;
export type Format = (typeof formats)[number];

export interface RenderedFile {
  name: string;
  content: string;
}

/** The files `render` writes for a config: pure, so the export and the tests share it. */
export function renderFiles(
  config: Config,
  what: { format: Format; stack?: boolean; bootstrap?: boolean; diagram?: boolean; environment?: string },
): RenderedFile[] {
  const files: RenderedFile[] = [];
  if (what.stack ?? true)
    files.push({
      name: `${config.name}.template.${what.format}`,
      content: formatTemplate(renderStack(config, { environment: what.environment }), what.format),
    });
  if (what.bootstrap) {
    if (!config.bootstrap) {
      throw new UsageError(
        '--bootstrap needs a bootstrap section in the config, at least `bootstrap: { repository: owner/name }` (the GitHub repository allowed to deploy)',
      );
    }
    files.push({
      name: `${config.name}.bootstrap.template.${what.format}`,
      content: formatTemplate(renderBootstrap(config), what.format),
    });
  }
  if (what.diagram) files.push({ name: `${config.name}.diagram.md`, content: diagramMarkdown(config) });
  return files;
}

/** The Mermaid diagram as Markdown, which GitHub draws in READMEs, PRs and job summaries. */
export function diagramMarkdown(config: Config): string {
  const mermaid = renderDiagram(config).trim();
  const fenced = mermaid.startsWith('```') ? mermaid : `\`\`\`mermaid\n${mermaid}\n\`\`\``;
  return `# ${config.name}\n\n${fenced}\n`;
}

export const renderCommand: Command = {
  name: 'render',
  summary: 'Render the CloudFormation template(s) from a config, without AWS credentials',
  maxPositionals: 1,
  options: {
    out: { type: 'string', short: 'o' },
    format: { type: 'string', short: 'f' },
    environment: { type: 'string', short: 'e' },
    bootstrap: { type: 'boolean' },
    diagram: { type: 'boolean' },
    stdout: { type: 'boolean' },
  },
  help: `Usage: ${PROGRAM} render [config] [options]

Validates the config (default deploy.yml) and writes <out>/<name>.template.yaml: the whole stack
(VPC, NLB, Fargate service, VPC link, API Gateway), with the image as the ImageUri parameter.
Nothing is written when the config is invalid.

Options:
  -o, --out DIR        directory to write to (default: the current directory)
  -f, --format FORMAT  yaml (default) or json
  -e, --environment NAME
                       the environment the stack is for (the action's environment input): with
                       a name retention.deleteWithStack lists, the table and log groups go with
                       the stack; otherwise they are retained
      --bootstrap      also write <name>.bootstrap.template.yaml, the once-per-account GitHub
                       OIDC deploy role (needs bootstrap.repository in the config)
      --diagram        also write <name>.diagram.md, a Mermaid diagram of the stack
      --stdout         print one document instead of writing files: the stack template, or the
                       bootstrap template with --bootstrap, or the diagram with --diagram
  -h, --help           show this help

Exit codes: 0 rendered, 1 failed, 2 invalid config or command line.

Examples:
  ${PROGRAM} render                                  # deploy.yml -> ./<name>.template.yaml
  ${PROGRAM} render sample-api/deploy.yml --out cloudformation --diagram
  ${PROGRAM} render sample-api/deploy.yml --environment pr-42 --stdout  # a preview: data deleted with it
  ${PROGRAM} render --bootstrap --stdout > bootstrap.yaml
  ${PROGRAM} render --format json --stdout | jq '.Resources | keys'
`,
  async run({ values, positionals }, io: CliIO) {
    const format = oneOf('format', values.format, formats, 'yaml');
    const { bootstrap = false, diagram = false, stdout = false } = values as Record<string, boolean | undefined>;
    if (stdout && bootstrap && diagram)
      throw new UsageError('--stdout prints one document: use it with --bootstrap or --diagram, not both');
    if (stdout && values.out !== undefined) throw new UsageError('--stdout and --out exclude each other');

    const config = await readConfig(positionals[0], io);
    const environment = typeof values.environment === 'string' ? values.environment : undefined;
    const stack = !(stdout && (bootstrap || diagram));
    const files = renderFiles(config, { format, stack, bootstrap, diagram, environment });
    if (stdout) {
      // The checks above leave one document: the stack, or the bootstrap or the diagram alone.
      const [document] = files;
      if (!document) throw new Error('render --stdout rendered no document');
      io.stdout(document.content);
      // Said beside the document, never in it, so the output still pipes into other tools.
      io.stderr(`${exposureSentence(config)}\n`);
      return EXIT.ok;
    }
    const outDir = resolve(io.cwd, typeof values.out === 'string' ? values.out : '.');
    if ((await stat(outDir).catch(() => undefined))?.isDirectory() === false) {
      throw new UsageError(
        `--out ${String(values.out)} is a file; it names the directory the templates are written to`,
      );
    }
    await mkdir(outDir, { recursive: true });
    for (const file of files) {
      const path = join(outDir, file.name);
      await writeFile(path, file.content);
      const bytes = Buffer.byteLength(file.content);
      const template = file.name.includes('.template.');
      const note =
        template && bytes > S3_TEMPLATE_LIMIT
          ? " (over CloudFormation's 1 MB limit even from S3: it cannot be deployed; `validate` says why)"
          : template && bytes > INLINE_TEMPLATE_LIMIT
            ? ` (over ${INLINE_TEMPLATE_LIMIT} bytes: deploy it with --s3-bucket)`
            : '';
      io.stdout(`wrote ${relative(io.cwd, path) || path} (${bytes} bytes)${note}\n`);
    }
    io.stdout(`${exposureSentence(config)}\n`);
    const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    if (files.some((file) => file.name.startsWith(`${config.name}.template.`)))
      io.stdout(`\n${estimateText(estimateCost(renderStack(config), region))}\n`);
    return EXIT.ok;
  },
};
