// cdk-nag's AwsSolutions pack over a rendered template: the template is included as it is
// (aws-cdk-lib/cloudformation-include), each resource's own `Metadata.cdk_nag.rules_to_suppress`
// becomes a Validations acknowledgement (cdk-nag 3 honours nothing else), and what is left is
// what a reviewer would have to ask about.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Template } from '../src/render/template.js';

export interface NagFinding {
  /** `AwsSolutions-IAM5[Resource::*]`: the rule, and for granular rules what it found. */
  rule: string;
  /** Logical id of the resource. */
  resource: string;
  severity: string;
}

interface Suppression {
  id: string;
  reason: string;
  applies_to?: string[];
}

/** The acknowledgement ids a suppression stands for: a granular rule names each finding it covers. */
export function acknowledgedIds({ id, applies_to }: Suppression): string[] {
  return applies_to ? applies_to.map((finding) => `${id}[${finding}]`) : [id];
}

export function suppressionsOf(template: Template): Record<string, Suppression[]> {
  return Object.fromEntries(
    Object.entries(template.Resources).flatMap(([id, resource]) => {
      const nag = resource.Metadata?.cdk_nag as { rules_to_suppress?: Suppression[] } | undefined;
      return nag?.rules_to_suppress ? [[id, nag.rules_to_suppress]] : [];
    }),
  );
}

/**
 * The AwsSolutions findings no suppression in the template explains, sorted; with
 * `suppressions: false`, every finding, to check that each suppression still excuses one.
 */
export function nagFindings(template: Template, { suppressions = true } = {}): NagFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'nag-'));
  try {
    const file = join(dir, 'template.json');
    writeFileSync(file, JSON.stringify(template));
    const app = new App();
    const stack = new Stack(app, 'Scanned');
    const included = new CfnInclude(stack, 'Template', { templateFile: file });
    for (const [logicalId, rules] of Object.entries(suppressions ? suppressionsOf(template) : {})) {
      Validations.of(included.getResource(logicalId)).acknowledge(
        ...rules.flatMap((rule) => acknowledgedIds(rule).map((id) => ({ id, reason: rule.reason }))),
      );
    }
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    return violations
      .flatMap((v) =>
        v.violatingResources.map((r) => ({
          rule: v.ruleName,
          resource: (r.constructPath ?? '').split('/').at(-1)!,
          severity: v.severity ?? 'error',
        })),
      )
      .sort((a, b) => `${a.resource} ${a.rule}`.localeCompare(`${b.resource} ${b.rule}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
