import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRICE_TABLE } from './price-table.js';
import { priceTableModule, refreshTable } from './refresh.js';

const sample = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/offer-sample.json'), 'utf8')) as unknown;

describe('refreshing the price table from price list files', () => {
  it("adds the Region's prices it finds, keeps the cited ones, and names the files it could not read", async () => {
    const requested: string[] = [];
    const { table, updated, failures } = await refreshTable(
      PRICE_TABLE,
      ['eu-west-1'],
      (url) => {
        requested.push(url);
        return url.includes('/AmazonEC2/') ? Promise.resolve(sample) : Promise.reject(new Error('HTTP 404'));
      },
      '2026-12-01',
    );
    expect(updated).toEqual(['eu-west-1 natGatewayHour', 'eu-west-1 natGatewayGb']);
    expect(table.regions['eu-west-1'].natGatewayHour?.asOf).toBe('2026-11-20');
    expect(table.regions['us-east-1']).toEqual(PRICE_TABLE.regions['us-east-1']);
    expect(table.date).toBe('2026-12-01');
    expect(failures).toHaveLength(requested.length - 1);
    expect(failures[0]).toMatch(
      /^https:\/\/pricing\.us-east-1\.amazonaws\.com\/offers\/v1\.0\/aws\/AmazonECS\/current\/eu-west-1\/index\.json: HTTP 404$/,
    );
  });

  it('writes a module that holds the same table', () => {
    const text = priceTableModule(PRICE_TABLE);
    const json = text.slice(text.indexOf('= ') + 2, text.lastIndexOf(';'));
    expect(JSON.parse(json)).toEqual(PRICE_TABLE);
  });
});
