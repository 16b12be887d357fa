// The shape of the price table, and how an estimate looks a price up: a Region's own entry or
// nothing. A missing price is never filled in from another Region; the estimate says it is partial.

export const PRICE_KEYS = [
  'fargateVcpuHour',
  'fargateGbHour',
  'fargateArmVcpuHour',
  'fargateArmGbHour',
  'natGatewayHour',
  'natGatewayGb',
  'publicIpv4Hour',
  'nlbHour',
  'interfaceEndpointHour',
  'interfaceEndpointGb',
  'apiGatewayMillionRequests',
  'logsIngestionGb',
  'dynamoDbMillionWrites',
  'dynamoDbMillionReads',
] as const;
export type PriceKey = (typeof PRICE_KEYS)[number];

export interface Price {
  usd: number;
  /** Where the number was read: a pricing page or an AWS price list file. */
  source: string;
  /** The source's own date (publication or update), or the day it was read when it has none. */
  asOf: string;
}

export interface PriceTable {
  /** The day the table was last checked as a whole. */
  date: string;
  regions: Record<string, Partial<Record<PriceKey, Price>>>;
}

export const priceOf = (table: PriceTable, region: string, key: PriceKey): Price | undefined =>
  table.regions[region]?.[key];
