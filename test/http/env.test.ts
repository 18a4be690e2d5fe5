import { afterEach, describe, expect, it, vi } from 'vitest';
import { isBrowser, readEnv } from '../../src/http/env.js';

describe('readEnv', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it('reads process.env and trims', () => {
    vi.stubEnv('OCF_TEST_VAR', '  value  ');
    expect(readEnv('OCF_TEST_VAR')).toBe('value');
    vi.stubEnv('OCF_TEST_VAR', '   ');
    expect(readEnv('OCF_TEST_VAR')).toBeUndefined();
  });

  it('reads Deno.env where there is no process', () => {
    vi.stubGlobal('process', undefined);
    vi.stubGlobal('Deno', { env: { get: (name: string) => (name === 'OPENAI_API_KEY' ? 'sk-deno' : undefined) } });
    expect(readEnv('OPENAI_API_KEY')).toBe('sk-deno');
  });

  it('never throws where reading the environment is denied (Deno without --allow-env)', () => {
    vi.stubGlobal('process', undefined);
    vi.stubGlobal('Deno', {
      env: {
        get() {
          throw new Error('Requires env access to "OPENAI_API_KEY", run again with the --allow-env flag');
        },
      },
    });
    expect(readEnv('OPENAI_API_KEY')).toBeUndefined();
  });

  it('returns undefined in a runtime with no environment at all (a browser, a worker)', () => {
    vi.stubGlobal('process', undefined);
    expect(readEnv('OPENAI_API_KEY')).toBeUndefined();
  });
});

describe('isBrowser', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is false in Node and true where window.document and navigator exist', () => {
    expect(isBrowser()).toBe(false);
    vi.stubGlobal('window', { document: {} });
    vi.stubGlobal('navigator', {});
    expect(isBrowser()).toBe(true);
  });
});
