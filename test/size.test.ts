import { describe, expect, it } from 'vitest';
import { measureAll, table } from './size/measure.js';

// Sizes are deterministic, unlike times: they are enforced here, in `npm test`, against the
// ceilings of DESIGN.md §7 (test/size/measure.ts). The bundles are built from dist/, so
// `npm test` builds first (a bare `vitest run` measures the last build).
describe('bundle size, min+gzip', () => {
  it('is printed beside the official SDK, and held to the budgets', async () => {
    const sizes = await measureAll();
    console.log(`\n${table(sizes)}\n`);
    for (const { name, gzipped, budget } of sizes) {
      if (budget !== undefined) expect(gzipped, name).toBeLessThanOrEqual(budget);
    }
  }, 60_000);
});
