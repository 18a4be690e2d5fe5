import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { DENO, deno, local } from '../runtimes/need.js';
import { packed } from '../runtimes/pack.js';
import type { Packed } from '../runtimes/pack.js';
import { run } from '../runtimes/run.js';

// The tarball users install, judged by the linters and by the type checkers their projects
// use, on test/runtimes/project/consumer.mts (copied in as .ts, .mts and .cts).
const TSC = local('typescript/bin/tsc');

let pack: Packed;
beforeAll(async () => {
  pack = await packed();
}, 180_000);

describe('the packed package, judged', () => {
  it('publint reports nothing, suggestions included', async () => {
    const bytes = readFileSync(pack.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(pkg.name).toBe('openai-chat-fetch');
    expect(messages.map((message) => formatMessage(message, pkg, { color: false }))).toEqual([]);
  });

  it('@arethetypeswrong/cli reports nothing, for every entry point and resolution', { timeout: 60_000 }, async () => {
    // It exits 1 when it finds problems; the list of them is the better failure message.
    const { stdout } = await run(process.execPath, [local('@arethetypeswrong/cli/dist/index.js'), pack.tarball, '--format', 'json'], {
      cwd: pack.project,
      okCodes: [0, 1],
    });
    const { analysis, problems } = JSON.parse(stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems?: Record<string, unknown[]> };
    expect(Object.keys(analysis.entrypoints)).toEqual(expect.arrayContaining(['.', './fake', './relay']));
    expect(problems ?? {}).toEqual({});
  });

  it('deno check passes on a TypeScript file importing the package', { timeout: 60_000 }, async () => {
    deno.check();
    await run(DENO, ['check', 'consumer.ts'], { cwd: pack.project, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
  });
});

describe.concurrent('tsc type-checks a consumer', () => {
  const modes = [
    { title: 'moduleResolution bundler', module: 'esnext', resolution: 'bundler', file: 'consumer.ts', declarations: 'index.d.ts' },
    { title: 'moduleResolution node16, from ESM', module: 'node16', resolution: 'node16', file: 'consumer.mts', declarations: 'index.d.ts' },
    { title: 'moduleResolution node16, from CommonJS', module: 'node16', resolution: 'node16', file: 'consumer.cts', declarations: 'index.d.cts' },
    { title: 'moduleResolution node10', module: 'commonjs', resolution: 'node10', file: 'consumer.ts', declarations: 'index.d.ts' },
  ];
  for (const { title, module, resolution, file, declarations } of modes) {
    it(title, { timeout: 60_000 }, async () => {
      // skipLibCheck off, so the package's declarations are checked too, in the user's settings.
      const args = [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        '--lib',
        'es2022,dom',
        '--module',
        module,
        '--moduleResolution',
        resolution,
        '--listFiles',
        file,
      ];
      const { stdout } = await run(process.execPath, [TSC, ...args], { cwd: pack.project });
      // The declarations for that module kind, from the installed copy.
      const used = stdout.split('\n').filter((line) => line.includes('/node_modules/openai-chat-fetch/'));
      expect(used).toEqual([join(pack.project, 'node_modules/openai-chat-fetch/dist', declarations)]);
    });
  }
});
