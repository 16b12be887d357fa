// GitHub's own parser for workflow files and action.yml (@actions/workflow-parser, the one behind
// the Actions language service). Its ESM build imports its JSON schemas without an import
// attribute, which neither Node nor jest will load, so it is bundled into one file first and
// imported from there.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Workflows from '@actions/workflow-parser';
import type * as Actions from '@actions/workflow-parser/actions/index';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';

export type { FileReference };

export interface SourceFile {
  name: string;
  content: string;
}

/** The file a job's `uses:` reusable workflow reference points at; undefined when unknown. */
export type ReusableWorkflows = (ref: FileReference) => SourceFile | undefined;

export interface WorkflowParser {
  /**
   * Every error GitHub reports for this workflow. With `reusable`, called workflows are loaded
   * too, so the `with:` of a calling job is checked against the called workflow's inputs.
   */
  workflowErrors(file: SourceFile, reusable?: ReusableWorkflows): Promise<string[]>;
  /** Every error GitHub reports for this action.yml. */
  actionErrors(file: SourceFile): string[];
}

type ParserModule = typeof Workflows & typeof Actions;

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

export async function loadWorkflowParser(): Promise<WorkflowParser> {
  const dir = await mkdtemp(join(tmpdir(), 'workflow-parser-'));
  try {
    const outfile = join(dir, 'workflow-parser.mjs');
    await build({
      stdin: {
        contents: [
          "export * from '@actions/workflow-parser';",
          "export * from '@actions/workflow-parser/actions/index';",
        ].join('\n'),
        resolveDir: packageRoot,
        sourcefile: 'workflow-parser-entry.js',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      // The bundled yaml package is CommonJS and require()s Node built-ins.
      banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    });
    return wrap((await import(pathToFileURL(outfile).href)) as ParserModule);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function wrap(parser: ParserModule): WorkflowParser {
  const trace = () => new parser.NoOperationTraceWriter();
  return {
    async workflowErrors(file, reusable) {
      const { context, value } = parser.parseWorkflow(file, trace());
      if (value !== undefined) {
        const fileProvider = reusable && {
          getFileContent: async (ref: FileReference) => {
            const found = reusable(ref);
            if (!found) throw new Error(`no reusable workflow ${JSON.stringify(ref)}`);
            return found;
          },
        };
        await parser.convertWorkflowTemplate(context, value, fileProvider, {
          fetchReusableWorkflowDepth: reusable ? 1 : 0,
        });
      }
      return context.errors.getErrors().map((error) => error.message);
    },
    actionErrors(file) {
      const { context, value } = parser.parseAction(file, trace());
      if (value !== undefined) parser.convertActionTemplate(context, value);
      return context.errors.getErrors().map((error) => error.message);
    },
  };
}
