import { describe, expect, it } from '@jest/globals';
import type { ResourceChange } from '@aws-sdk/client-cloudformation';
import { changeRows, changesMarkdown, changesText } from './changes.js';

const changes: ResourceChange[] = [
  { Action: 'Add', LogicalResourceId: 'UsagePlan', ResourceType: 'AWS::ApiGateway::UsagePlan' },
  {
    Action: 'Modify',
    LogicalResourceId: 'TaskDefinition',
    ResourceType: 'AWS::ECS::TaskDefinition',
    Replacement: 'True',
    Details: [
      { Target: { Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always' } },
      { Target: { Attribute: 'Properties', Name: 'ContainerDefinitions', RequiresRecreation: 'Always' } },
    ],
  },
  {
    Action: 'Modify',
    LogicalResourceId: 'Service',
    ResourceType: 'AWS::ECS::Service',
    Replacement: 'Conditional',
    Details: [
      { Target: { Attribute: 'Properties', Name: 'TaskDefinition', RequiresRecreation: 'Never' } },
      { Target: { Attribute: 'Tags', RequiresRecreation: 'Never' } },
      { Target: { Attribute: 'Properties', Name: 'LoadBalancers', RequiresRecreation: 'Conditionally' } },
    ],
  },
  { Action: 'Remove', LogicalResourceId: 'LegacyVpcLink', ResourceType: 'AWS::ApiGateway::VpcLink' },
];

describe('changeRows', () => {
  it('names what changes, once each, and marks what forces a replacement', () => {
    expect(changeRows(changes)).toEqual([
      { action: 'Add', logicalId: 'UsagePlan', type: 'AWS::ApiGateway::UsagePlan', replacement: '', details: [] },
      {
        action: 'Replace',
        logicalId: 'TaskDefinition',
        type: 'AWS::ECS::TaskDefinition',
        replacement: 'yes',
        details: ['Properties.ContainerDefinitions (replaces)'],
      },
      {
        action: 'Modify',
        logicalId: 'Service',
        type: 'AWS::ECS::Service',
        replacement: 'maybe',
        details: ['Properties.TaskDefinition', 'Tags', 'Properties.LoadBalancers (may replace)'],
      },
      { action: 'Remove', logicalId: 'LegacyVpcLink', type: 'AWS::ApiGateway::VpcLink', replacement: '', details: [] },
    ]);
  });
});

describe('changesText', () => {
  it('is an aligned table with marks, totals and a warning about replacements and removals', () => {
    expect(changesText(changes)).toBe(
      [
        '   Action   Logical ID      Type                        Replacement  What changes',
        '+  Add      UsagePlan       AWS::ApiGateway::UsagePlan',
        '!  Replace  TaskDefinition  AWS::ECS::TaskDefinition    yes          Properties.ContainerDefinitions (replaces)',
        '~  Modify   Service         AWS::ECS::Service           maybe        Properties.TaskDefinition, Tags, Properties.LoadBalancers (may replace)',
        '-  Remove   LegacyVpcLink   AWS::ApiGateway::VpcLink',
        '',
        '1 to add, 1 to modify, 1 to replace, 1 to remove',
        'Attention: TaskDefinition (replaced), Service (may be replaced), LegacyVpcLink (removed)',
      ].join('\n'),
    );
  });

  it('says so when nothing changes', () => {
    expect(changesText([])).toBe('No changes.');
  });
});

describe('changesMarkdown', () => {
  it('is a Markdown table titled with the stack, replacements and removals in bold', () => {
    const markdown = changesMarkdown(changes, 'quiz-prod');
    expect(markdown).toContain('### Changes to stack `quiz-prod`');
    expect(markdown).toContain('| Action | Logical ID | Type | Replacement | What changes |');
    expect(markdown).toContain(
      '| ⚠️ **Replace** | `TaskDefinition` | AWS::ECS::TaskDefinition | **yes** | `Properties.ContainerDefinitions (replaces)` |',
    );
    expect(markdown).toContain('| ❌ **Remove** | `LegacyVpcLink` | AWS::ApiGateway::VpcLink |  |  |');
    expect(markdown).toContain('| ➕ Add | `UsagePlan` |');
  });

  it('keeps a table cell from breaking the table', () => {
    const odd: ResourceChange = { Action: 'Add', LogicalResourceId: 'A', ResourceType: 'Custom::X|Y' };
    expect(changesMarkdown([odd], 's')).toContain('| Custom::X\\|Y |');
  });
});
