// Refreshes action/src/plan/cost/price-table.ts from AWS's public price list files (no credentials):
//   npx tsx scripts/refresh-prices.ts us-east-1 eu-west-1
// Each offer file is fetched with a deadline; what cannot be read is listed and keeps its old entry.
// The AmazonEC2 offer files are large (hundreds of MB per Region): give it memory and time.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PRICE_TABLE } from '../action/src/plan/cost/price-table.js';
import { priceTableModule, refreshTable } from '../action/src/plan/cost/refresh.js';

const FETCH_DEADLINE_MS = 10 * 60_000;
const regions = process.argv.slice(2);
if (regions.length === 0) {
  console.error('usage: npx tsx scripts/refresh-prices.ts <region> [<region> …]');
  process.exit(2);
}

const { table, updated, failures } = await refreshTable(
  PRICE_TABLE,
  regions,
  async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_DEADLINE_MS) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  },
  new Date().toISOString().slice(0, 10),
);
const target = fileURLToPath(new URL('../action/src/plan/cost/price-table.ts', import.meta.url));
if (updated.length) {
  await writeFile(target, priceTableModule(table));
  execFileSync('npx', ['prettier', '--write', target], { stdio: 'inherit' });
}
console.log(`updated ${updated.length} prices: ${updated.join(', ') || 'none'}`);
if (failures.length) {
  console.error(`could not read:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
