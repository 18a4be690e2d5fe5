import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** As test/size/measure.ts bundles: esbuild, minified, for browsers, as ESM. */
async function bundle(contents: string): Promise<string> {
  const result = await build({
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
  });
  return result.outputFiles[0].text;
}

describe('structured outputs tree-shake away', () => {
  it('from an app that imports only createChatCompletion, even when the same index re-exports them', async () => {
    const alone = await bundle(`export { createChatCompletion } from './src/index.ts';`);
    const beside = await bundle(
      `export { createChatCompletion } from './src/index.ts'; export {} from './src/structured/index.ts'; import './src/structured/index.ts';`,
    );
    // Minified names may differ with the module graph; the size and the contents may not.
    expect(beside.length).toBe(alone.length);
    expect(beside.includes('strict mode') || beside.includes('LengthFinishReasonError') || beside.includes('draft-07')).toBe(false);
  });

  it('and each part from an app that uses another: functionTool stays out of jsonSchemaFormat', async () => {
    const format = await bundle(`export { jsonSchemaFormat } from './src/structured/index.ts';`);
    expect(format).toMatch(/strict mode/);
    expect(format).not.toMatch(/defineProperties|LengthFinishReasonError/);
  });
});
