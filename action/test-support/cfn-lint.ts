// cfn-lint, the CloudFormation linter teams run in their pipelines, over rendered templates: the
// templates we ship must pass the linter their users run, with zero errors and warnings.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTools } from './registry.js';

export interface LintFinding {
  file: string;
  rule: string;
  message: string;
  line: number;
}

/** Why cfn-lint cannot run here (undefined when it can); in CI (REQUIRE_REAL_TOOLS=1) a missing linter fails. */
export function cfnLintSkipReason(): string | undefined {
  if (missingTools(['cfn-lint']).length === 0) return undefined;
  const reason = 'cfn-lint not installed (pip install cfn-lint)';
  if (process.env.REQUIRE_REAL_TOOLS === '1') throw new Error(`REQUIRE_REAL_TOOLS=1 but ${reason}`);
  return reason;
}

interface CfnLintMatch {
  Filename: string;
  Rule: { Id: string };
  Message: string;
  Location: { Start: { LineNumber: number } };
}

/** Lints every template in one cfn-lint run (it starts slowly); findings name the template. */
export async function cfnLint(templates: { name: string; body: string }[]): Promise<LintFinding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'cfn-lint-'));
  try {
    const files = await Promise.all(
      templates.map(async ({ name, body }, i) => {
        const file = join(dir, `${String(i).padStart(3, '0')}-${name.replace(/[^A-Za-z0-9.-]+/g, '-')}`);
        await writeFile(file, body);
        return file;
      }),
    );
    const stdout = await new Promise<string>((resolve, reject) => {
      // Exit code 0 means clean; 2/4/6/8… encode the finding levels, which the JSON lists anyway.
      execFile('cfn-lint', ['--format', 'json', '--', ...files], { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
        if (error && typeof error.code !== 'number') reject(new Error(`cfn-lint did not run: ${error.message}`));
        else if (!out.trim().startsWith('[')) reject(new Error(`cfn-lint failed: ${err || out}`));
        else resolve(out);
      });
    });
    const byFile = new Map(files.map((file, i) => [file, templates[i].name]));
    return (JSON.parse(stdout) as CfnLintMatch[]).map((match) => ({
      file: byFile.get(match.Filename) ?? match.Filename,
      rule: match.Rule.Id,
      message: match.Message,
      line: match.Location.Start.LineNumber,
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
