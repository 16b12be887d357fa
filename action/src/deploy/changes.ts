// A change set's resource changes as people read them: a text table for the log, a Markdown
// table for the job summary and the pull request comment, and plain rows for the `changes`
// output. Replacements and removals stand out, since they are what loses data or state.
import type { ResourceChange } from '@aws-sdk/client-cloudformation';

export interface ChangeRow {
  /** Add, Modify, Replace (a Modify that replaces the resource), Remove, Import, … */
  action: string;
  logicalId: string;
  type: string;
  /** 'yes', 'maybe' (depends on a value only known at deploy time) or '' */
  replacement: string;
  /** What changes: `Properties.Image`, `Tags`, … with (replaces) on the ones that force a replacement. */
  details: string[];
}

export function changeRows(changes: ResourceChange[]): ChangeRow[] {
  return changes.map((change) => {
    const replacement = change.Replacement === 'True' ? 'yes' : change.Replacement === 'Conditional' ? 'maybe' : '';
    const action = change.Action === 'Modify' && replacement === 'yes' ? 'Replace' : (change.Action ?? '?');
    return {
      action,
      logicalId: change.LogicalResourceId ?? '?',
      type: change.ResourceType ?? '?',
      replacement,
      details: whatChanges(change),
    };
  });
}

function whatChanges(change: ResourceChange): string[] {
  const seen = new Map<string, string>();
  for (const detail of change.Details ?? []) {
    const target = detail.Target;
    if (!target?.Attribute) continue;
    const name = target.Name ? `${target.Attribute}.${target.Name}` : target.Attribute;
    const forcesReplacement = target.RequiresRecreation === 'Always' || target.RequiresRecreation === 'Conditionally';
    if (!seen.has(name) || forcesReplacement) {
      seen.set(
        name,
        target.RequiresRecreation === 'Always'
          ? `${name} (replaces)`
          : target.RequiresRecreation === 'Conditionally'
            ? `${name} (may replace)`
            : name,
      );
    }
  }
  return [...seen.values()];
}

const MARK: Record<string, string> = { Add: '+', Modify: '~', Replace: '!', Remove: '-', Import: '>', Dynamic: '?' };
const EMOJI: Record<string, string> = {
  Add: '➕',
  Modify: '✏️',
  Replace: '⚠️',
  Remove: '❌',
  Import: '📥',
  Dynamic: '❔',
};

export function changeCounts(rows: ChangeRow[]): string {
  const count = (action: string) => rows.filter((row) => row.action === action).length;
  const parts = [
    `${count('Add')} to add`,
    `${count('Modify')} to modify`,
    `${count('Replace')} to replace`,
    `${count('Remove')} to remove`,
  ];
  const others = rows.length - ['Add', 'Modify', 'Replace', 'Remove'].reduce((sum, a) => sum + count(a), 0);
  if (others > 0) parts.push(`${others} other`);
  return parts.join(', ');
}

/** Aligned columns for the log; a leading mark per row (+ add, ~ modify, ! replace, - remove). */
export function changesText(changes: ResourceChange[]): string {
  const rows = changeRows(changes);
  if (rows.length === 0) return 'No changes.';
  const header = ['', 'Action', 'Logical ID', 'Type', 'Replacement', 'What changes'];
  const table = [
    header,
    ...rows.map((r) => [MARK[r.action] ?? ' ', r.action, r.logicalId, r.type, r.replacement, r.details.join(', ')]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]?.length ?? 0)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const flagged = rows.filter((r) => r.action === 'Replace' || r.action === 'Remove' || r.replacement === 'maybe');
  const warning =
    flagged.length > 0
      ? [
          `Attention: ${flagged.map((r) => `${r.logicalId} (${r.action === 'Modify' ? 'may be replaced' : r.action === 'Replace' ? 'replaced' : 'removed'})`).join(', ')}`,
        ]
      : [];
  return [...lines, '', changeCounts(rows), ...warning].join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown section for the job summary and the pull request comment. */
export function changesMarkdown(changes: ResourceChange[], stackName: string): string {
  const rows = changeRows(changes);
  const title = `### Changes to stack \`${stackName}\``;
  if (rows.length === 0) return `${title}\n\nNo changes.\n`;
  const lines = [
    title,
    '',
    changeCounts(rows),
    '',
    '| Action | Logical ID | Type | Replacement | What changes |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const loud = r.action === 'Replace' || r.action === 'Remove';
      const action = `${EMOJI[r.action] ?? ''} ${loud ? `**${r.action}**` : r.action}`.trim();
      const replacement = r.replacement === 'yes' ? '**yes**' : r.replacement;
      const details = r.details.map((d) => `\`${cell(d)}\``).join(', ');
      return `| ${action} | \`${cell(r.logicalId)}\` | ${cell(r.type)} | ${replacement} | ${details} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
