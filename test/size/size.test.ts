import { describe, expect, it } from 'vitest';
import { ceilingOf, measureAll, table } from './measure.js';

// Sizes are deterministic, unlike times: they are enforced here, in `npm test`, against the
// ceilings test/size/measure.ts gives (the README's Size section lists them). The bundles are built from dist/, so `npm test` builds first (a bare
// `vitest run` measures the last build).
describe('bundle size, min+gzip', () => {
  it('is printed beside the official SDK, and held to the ceilings', async () => {
    const sizes = await measureAll();
    console.log(`\n${table(sizes)}\n`);
    for (const entry of sizes) {
      const ceiling = ceilingOf(entry);
      if (ceiling !== undefined) expect(entry.gzipped, entry.name).toBeLessThanOrEqual(ceiling);
    }
  }, 60_000);
});
