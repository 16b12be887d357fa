// Refreshes the price table from AWS's public price list files: for each Region and offer, the
// prices the matchers find replace the table's entries; entries not found keep their cited
// source (and date) or stay absent, and every offer that could not be read is named.
import { MATCHERS, offerUrl, pricesFromOffer, type PriceMatcher } from './price-list.js';
import type { PriceTable } from './prices.js';

/** Reads one offer file (JSON), or throws. */
export type FetchOffer = (url: string) => Promise<unknown>;

export interface Refreshed {
  table: PriceTable;
  updated: string[];
  failures: string[];
}

export async function refreshTable(
  table: PriceTable,
  regions: string[],
  fetchOffer: FetchOffer,
  today: string,
  matchers: PriceMatcher[] = MATCHERS,
): Promise<Refreshed> {
  const next: PriceTable = structuredClone(table);
  const updated: string[] = [];
  const failures: string[] = [];
  const offers = [...new Set(matchers.map((m) => m.offer))];
  for (const region of regions) {
    for (const offer of offers) {
      const url = offerUrl(offer, region);
      let body: unknown;
      try {
        body = await fetchOffer(url);
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`);
        continue;
      }
      const found = pricesFromOffer(
        body as object,
        url,
        matchers.filter((m) => m.offer === offer),
      );
      next.regions[region] = { ...next.regions[region], ...found };
      updated.push(...Object.keys(found).map((key) => `${region} ${key}`));
    }
  }
  if (updated.length) next.date = today;
  return { table: next, updated, failures };
}

/** The table as the TypeScript module the estimate imports. */
export function priceTableModule(table: PriceTable): string {
  return `// Monthly-estimate prices, USD, On-Demand, by Region. Every number cites where it was read and
// that source's date; a price that could not be found is absent and the estimate says "partial".
// Refresh from AWS's public price list files: \`npx tsx scripts/refresh-prices.ts us-east-1 eu-west-1\`.
import type { PriceTable } from './prices.js';

export const PRICE_TABLE: PriceTable = ${JSON.stringify(table, null, 2)};
`;
}
