import { describe, expect, it } from '@jest/globals';
import { sampleConfig } from '../../../test-support/plan-capture.js';
import { twoNatGateways } from '../../../test-support/sample-edits.js';
import { renderStack } from '../../render/index.js';
import { estimateText } from '../format.js';
import { costDelta, estimateCost } from './estimate.js';
import { PRICE_TABLE } from './price-table.js';
import { PRICE_KEYS, type PriceTable } from './prices.js';

const sample = sampleConfig();
const endpointsOnly = { ...sample, network: { ...sample.network, natGateways: 0 as const, vpcEndpoints: true } };

describe('the monthly estimate', () => {
  it("pins the sample's estimate to the price table (a price change shows up here)", () => {
    expect(estimateText(estimateCost(renderStack(sample), 'us-east-1'))).toBe(
      [
        'Cost: $110.77/month (estimate, us-east-1 prices as of 2026-11-29)',
        '  NAT gateways                                      1 × 730 h                        $32.85',
        '  NAT data processing                               10 GB                            $0.45',
        '  Public IPv4 addresses                             1 × 730 h                        $3.65',
        '  Network Load Balancer (hours; NLCU not included)  1 × 730 h                        $16.43',
        '  Fargate Service vCPU                              min 2 tasks × 0.25 vCPU × 730 h  $14.78',
        '  Fargate Service memory                            min 2 tasks × 0.5 GB × 730 h     $3.24',
        '  API Gateway REST requests                         10M requests                     $35.00',
        '  CloudWatch Logs ingestion                         5 GB                             $2.50',
        '  DynamoDB on-demand requests                       1M writes, 10M reads             $1.88',
        'Estimates, not a bill. Usage lines assume 10M API requests, 5 GB of logs, 10 GB to AWS services, 1M DynamoDB writes and 10M reads a month; data transfer out, NLCU and storage are not included.',
      ].join('\n'),
    );
  });

  it('prices the sample with VPC endpoints instead of a NAT gateway', () => {
    const estimate = estimateCost(renderStack(endpointsOnly), 'us-east-1');
    const endpoints = estimate.lines.find((l) => l.item === 'VPC interface endpoints')!;
    expect(estimate.lines.some((l) => l.item.startsWith('NAT'))).toBe(false);
    expect(endpoints.quantity).toMatch(/^\d+ endpoints, \d+ endpoint-AZs × 730 h$/);
    expect(estimate.partial).toBe(false);
  });

  it('shows the delta of a second NAT gateway line by line', () => {
    const delta = costDelta(
      estimateCost(renderStack(sample), 'us-east-1'),
      estimateCost(renderStack(twoNatGateways()), 'us-east-1'),
    );
    const changed = delta.filter((d) => d.before !== d.after).map((d) => [d.item, d.before, d.after]);
    expect(changed).toEqual([
      ['NAT gateways', 32.85, 65.7],
      ['Public IPv4 addresses', 3.65, 7.3],
    ]);
  });

  it('marks the estimate partial, never complete, for a Region without prices', () => {
    const none = estimateCost(renderStack(sample), 'sa-east-1');
    expect(none).toMatchObject({ partial: true, total: 0 });
    expect(estimateText(none)).toMatch(/^Cost: \$0\.00\/month \(partial\)/);
    // eu-west-1: only the Fargate prices were found, so only those lines carry a number.
    const ireland = estimateCost(renderStack(sample), 'eu-west-1');
    expect(ireland.partial).toBe(true);
    expect(ireland.lines.filter((l) => l.monthly !== undefined).map((l) => l.item)).toEqual([
      'Fargate Service vCPU',
      'Fargate Service memory',
    ]);
    expect(estimateText(ireland)).toContain('Partial: the price table has no eu-west-1 price for natGatewayHour');
  });

  it('leaves out a stale or missing entry and says which, keeping the other lines', () => {
    const stale: PriceTable = structuredClone(PRICE_TABLE);
    delete stale.regions['us-east-1'].fargateGbHour;
    const estimate = estimateCost(renderStack(sample), 'us-east-1', undefined, stale);
    expect(estimate.partial).toBe(true);
    expect(estimate.lines.find((l) => l.item === 'Fargate Service memory')).toMatchObject({
      monthly: undefined,
      missing: ['fargateGbHour'],
    });
    expect(estimate.total).toBeCloseTo(110.77 - 3.24, 1);
  });

  it('cites a source and a date for every price in the table', () => {
    for (const prices of Object.values(PRICE_TABLE.regions)) {
      for (const [key, price] of Object.entries(prices)) {
        expect(PRICE_KEYS).toContain(key);
        expect(price.source).toMatch(/^(https:\/\/|AWS price list )/);
        expect(price.asOf).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
        expect(price.usd).toBeGreaterThan(0);
      }
    }
  });
});

describe('the README', () => {
  it("shows the sample's estimate with a NAT gateway and with VPC endpoints, as the price table computes it", async () => {
    const { readFile } = await import('node:fs/promises');
    const { compareEstimatesMarkdown } = await import('../format.js');
    const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
    const table = compareEstimatesMarkdown([
      ['one NAT gateway (default)', estimateCost(renderStack(sample), 'us-east-1')],
      ['VPC endpoints (`natGateways: 0`)', estimateCost(renderStack(endpointsOnly), 'us-east-1')],
    ]);
    // Compared cell by cell: prettier pads the README's table columns.
    const normalize = (text: string) =>
      text
        .split('\n')
        .map((line) =>
          line
            .split('|')
            .map((cell) => cell.trim().replace(/^-+(:?)$/, '-$1'))
            .join('|'),
        )
        .join('\n');
    expect(normalize(readme)).toContain(normalize(table));
  });
});
