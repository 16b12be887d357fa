import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MATCHERS, offerUrl, pricesFromOffer } from './price-list.js';

const offer = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/offer-sample.json'), 'utf8')) as object;
const url = offerUrl('AmazonEC2', 'eu-west-1');

describe('reading an AWS price list offer file', () => {
  const prices = pricesFromOffer(offer, url, MATCHERS);

  it('finds the On-Demand price by Region-prefixed usage type, citing the file, the SKU and its publication date', () => {
    expect(prices.natGatewayHour).toEqual({
      usd: 0.0111,
      source: `${url} (usagetype EUW1-NatGateway-Hours, sku Q5KJSQ8D6YCWXG4R)`,
      asOf: '2026-11-20',
    });
    expect(prices.natGatewayGb?.usd).toBe(0.0222);
    expect(url).toBe('https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.json');
  });

  it('takes the first tier of tiered prices and scales per-request prices to per million', () => {
    expect(prices.apiGatewayMillionRequests?.usd).toBe(3.33);
  });

  it('ignores the -TS- and Outposts variants priced under the same usage type name', () => {
    expect(prices.nlbHour).toMatchObject({
      usd: 0.0333,
      source: expect.stringContaining('usagetype EU-LoadBalancerUsage'),
    });
  });

  it('skips a free tier priced at $0', () => {
    expect(prices.dynamoDbMillionWrites?.usd).toBe(0.777);
  });

  it('leaves out what the file does not price, instead of guessing', () => {
    expect(prices.fargateVcpuHour).toBeUndefined();
    expect(Object.keys(prices).sort()).toEqual([
      'apiGatewayMillionRequests',
      'dynamoDbMillionWrites',
      'natGatewayGb',
      'natGatewayHour',
      'nlbHour',
    ]);
  });
});
