// Reads AWS's public price list offer files (pricing.us-east-1.amazonaws.com/offers/v1.0/aws/
// <offer>/current/<region>/index.json) into price table entries: the On-Demand price of the
// product whose usage type matches, first paid tier, scaled to the table's unit.
import type { Price, PriceKey } from './prices.js';

export const PRICE_LIST_HOST = 'https://pricing.us-east-1.amazonaws.com';

interface Offer {
  offerCode?: string;
  publicationDate?: string;
  products?: Record<string, { sku: string; productFamily?: string; attributes?: Record<string, string> }>;
  terms?: {
    OnDemand?: Record<
      string,
      Record<
        string,
        { priceDimensions?: Record<string, { unit?: string; beginRange?: string; pricePerUnit?: { USD?: string } }> }
      >
    >;
  };
}

export interface PriceMatcher {
  key: PriceKey;
  offer: string;
  /** Usage types carry a Region prefix (`EU-`, `EUW1-`) except in us-east-1. */
  usageType: RegExp;
  productFamily?: string;
  /** Table units per price list unit: 1e6 for "per million requests" from a per-request price. */
  scale?: number;
}

/**
 * A usage type with at most a Region code in front (`EU-`, `EUW1-`, none in us-east-1): never the
 * `-TS-`, `Outposts-`, `SpotUsage:` or `Regional…` variants priced under the same names.
 */
const usage = (name: string) => new RegExp(`^([A-Z0-9]+-)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

export const MATCHERS: PriceMatcher[] = [
  { key: 'fargateVcpuHour', offer: 'AmazonECS', usageType: usage('Fargate-vCPU-Hours:perCPU') },
  { key: 'fargateGbHour', offer: 'AmazonECS', usageType: usage('Fargate-GB-Hours') },
  { key: 'fargateArmVcpuHour', offer: 'AmazonECS', usageType: usage('Fargate-ARM-vCPU-Hours:perCPU') },
  { key: 'fargateArmGbHour', offer: 'AmazonECS', usageType: usage('Fargate-ARM-GB-Hours') },
  { key: 'natGatewayHour', offer: 'AmazonEC2', usageType: usage('NatGateway-Hours') },
  { key: 'natGatewayGb', offer: 'AmazonEC2', usageType: usage('NatGateway-Bytes') },
  { key: 'publicIpv4Hour', offer: 'AmazonVPC', usageType: usage('PublicIPv4:InUseAddress') },
  { key: 'nlbHour', offer: 'AWSELB', usageType: usage('LoadBalancerUsage'), productFamily: 'Load Balancer-Network' },
  { key: 'interfaceEndpointHour', offer: 'AmazonVPC', usageType: usage('VpcEndpoint-Hours') },
  { key: 'interfaceEndpointGb', offer: 'AmazonVPC', usageType: usage('VpcEndpoint-Bytes') },
  { key: 'apiGatewayMillionRequests', offer: 'AmazonApiGateway', usageType: usage('ApiGatewayRequest'), scale: 1e6 },
  { key: 'logsIngestionGb', offer: 'AmazonCloudWatch', usageType: usage('DataProcessing-Bytes') },
  { key: 'dynamoDbMillionWrites', offer: 'AmazonDynamoDB', usageType: usage('WriteRequestUnits'), scale: 1e6 },
  { key: 'dynamoDbMillionReads', offer: 'AmazonDynamoDB', usageType: usage('ReadRequestUnits'), scale: 1e6 },
];

export const offerUrl = (offer: string, region: string) =>
  `${PRICE_LIST_HOST}/offers/v1.0/aws/${offer}/current/${region}/index.json`;

/** The prices `matchers` find in one offer file; keys without a match are absent. */
export function pricesFromOffer(offer: Offer, url: string, matchers: PriceMatcher[]): Partial<Record<PriceKey, Price>> {
  const found: Partial<Record<PriceKey, Price>> = {};
  const asOf = offer.publicationDate?.slice(0, 10) ?? 'unknown';
  for (const matcher of matchers) {
    const candidates = Object.values(offer.products ?? {}).filter(
      (product) =>
        matcher.usageType.test(product.attributes?.usagetype ?? '') &&
        (!matcher.productFamily || product.productFamily === matcher.productFamily),
    );
    for (const product of candidates) {
      const usd = firstPaidTier(offer, product.sku);
      if (usd === undefined) continue;
      found[matcher.key] = {
        usd: round(usd * (matcher.scale ?? 1)),
        source: `${url} (usagetype ${product.attributes?.usagetype}, sku ${product.sku})`,
        asOf,
      };
      break;
    }
  }
  return found;
}

/** The lowest-range nonzero On-Demand price: a free first tier (beginRange 0, $0) does not count. */
function firstPaidTier(offer: Offer, sku: string): number | undefined {
  const dimensions = Object.values(offer.terms?.OnDemand?.[sku] ?? {}).flatMap((term) =>
    Object.values(term.priceDimensions ?? {}),
  );
  const paid = dimensions
    .map((d) => ({ begin: Number(d.beginRange ?? 0), usd: Number(d.pricePerUnit?.USD) }))
    .filter((d) => Number.isFinite(d.usd) && d.usd > 0)
    .sort((a, b) => a.begin - b.begin);
  return paid[0]?.usd;
}

const round = (n: number) => Number(n.toPrecision(10));
