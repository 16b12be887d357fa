// The exported templates under cdk-nag's AwsSolutions pack: every finding is fixed or excused in
// the template itself, every excuse still excuses something and says why. The spec-matrix test
// runs the same scan over every config option.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { acknowledgedIds, nagFindings, suppressionsOf } from '../../test-support/nag-scan.js';
import type { Template } from './template.js';

const dir = new URL('../../../cloudformation/', import.meta.url);
const exported = readdirSync(dir)
  .filter((name) => name.endsWith('.template.yaml'))
  .map((name): [string, Template] => [
    name,
    parse(readFileSync(new URL(name, dir), 'utf8'), { version: '1.1' }) as Template,
  ]);

describe('the AwsSolutions scan of the exported templates', () => {
  it.each(exported)('%s: no finding without a reason in the template', (_, template) => {
    expect(nagFindings(template)).toEqual([]);
  });

  it.each(exported)('%s: every suppression excuses a finding, with a reason', (_, template) => {
    const raw = new Set(nagFindings(template, { suppressions: false }).map((f) => `${f.resource} ${f.rule}`));
    for (const [resource, rules] of Object.entries(suppressionsOf(template))) {
      for (const rule of rules) {
        expect(rule.reason).toMatch(/^.{40,}\.$/);
        for (const id of acknowledgedIds(rule)) expect(raw).toContain(`${resource} ${id}`);
      }
    }
  });
});
