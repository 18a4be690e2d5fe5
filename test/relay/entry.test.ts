import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// `openai-chat-fetch/relay` is an entry of its own (built by `npm run build`, which `npm test`
// runs first): ESM, CJS and types, and in no other bundle. Its size is held in test/size/.
const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);
const require = createRequire(import.meta.url);
/** Text only the relay holds: its refusal of the upstream's 401. */
const RELAY_ONLY = "refused the relay's credentials";
const API = ['createRelay', 'memoryRateLimit', 'toNodeListener'];

describe('the relay entry', () => {
  it('is in no other bundle', () => {
    for (const file of ['index.js', 'index.cjs', 'fake.js', 'fake.cjs']) expect(readFileSync(dist(file), 'utf8')).not.toContain(RELAY_ONLY);
    expect(readFileSync(dist('relay.js'), 'utf8')).toContain(RELAY_ONLY);
  });

  it('exports its API from ESM and CJS alike, with declarations for both', async () => {
    const esm = await import(dist('relay.js').href);
    const cjs = require(dist('relay.cjs').pathname);
    expect(Object.keys(esm).sort()).toEqual(API);
    expect(Object.keys(cjs).sort()).toEqual(API);
    for (const file of ['relay.d.ts', 'relay.d.cts']) {
      const declarations = readFileSync(dist(file), 'utf8');
      for (const name of [...API, 'RelayOptions', 'UsageReport', 'RateLimitVerdict']) expect(declarations).toContain(name);
    }
  });

  it('is named in package.json and jsr.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const jsr = JSON.parse(readFileSync(new URL('../../jsr.json', import.meta.url), 'utf8'));
    expect(pkg.exports['./relay']).toEqual({
      import: { types: './dist/relay.d.ts', default: './dist/relay.js' },
      require: { types: './dist/relay.d.cts', default: './dist/relay.cjs' },
    });
    expect(pkg.typesVersions['*'].relay).toEqual(['./dist/relay.d.ts']);
    expect(jsr.exports['./relay']).toBe('./src/relay/index.ts');
  });
});
