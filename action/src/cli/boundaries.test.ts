// The command line is runner-neutral: it shares the phases with the action but must never load
// the GitHub runner's toolkit (@actions/*), which expects a runner's environment and costs start-up.
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

async function packagesReachedFrom(entry: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: repo,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const packages = Object.keys(result.metafile.inputs).map(
    (input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1],
  );
  return [...new Set(packages.filter((name): name is string => name !== undefined))].sort();
}

describe('module boundaries', () => {
  it('the CLI, with every on-demand chunk, loads no @actions/* package', async () => {
    const packages = await packagesReachedFrom('action/src/cli.ts');
    expect(packages).toContain('@aws-sdk/client-cloudformation');
    expect(packages.filter((name) => name.startsWith('@actions/'))).toEqual([]);
  });

  it('the action does load @actions/core (so the check above can fail)', async () => {
    expect(await packagesReachedFrom('action/src/main.ts')).toContain('@actions/core');
  });
});
