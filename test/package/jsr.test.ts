// jsr.json as JSR receives it: `deno publish --dry-run` type-checks both entry points, refuses slow
// types (a public API whose types would have to be inferred), and lists what would be uploaded.
// Offline: a fresh DENO_DIR and proxies that lead nowhere, so a run that needed the network
// would fail here rather than pass on a machine that has it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../runtimes/pack.js';
import { DENO, deno } from '../runtimes/need.js';
import { run } from '../runtimes/run.js';

const NOWHERE = 'http://127.0.0.1:9';

const jsr = JSON.parse(readFileSync(join(REPO, 'jsr.json'), 'utf8')) as { name: string; version: string; exports: Record<string, string> };
const npm = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string; exports: Record<string, unknown> };

const denoDir = mkdtempSync(join(tmpdir(), 'openai-chat-fetch-deno-'));
afterAll(() => rmSync(denoDir, { recursive: true, force: true }));

describe('jsr.json', () => {
  it('names the package as JSR allows, at the npm version, with the same entry points from src/', () => {
    // A scope of 2-20 characters and a name of 2-58: lowercase letters, digits, single hyphens.
    expect(jsr.name).toMatch(/^@[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/);
    const [scope, name] = jsr.name.slice(1).split('/');
    expect(scope!.length).toBeLessThanOrEqual(20);
    expect(name!.length).toBeLessThanOrEqual(58);
    expect(jsr.version).toBe(npm.version);
    expect(jsr.exports).toEqual({ '.': './src/index.ts', './fake': './src/fake/index.ts', './relay': './src/relay/index.ts' });
    expect(Object.keys(npm.exports).filter((entry) => entry !== './package.json')).toEqual(Object.keys(jsr.exports));
  });

  it('deno publish --dry-run accepts it offline, with no slow types, uploading src/, README and LICENSE only', { timeout: 60_000 }, async () => {
    deno.check();
    const env = { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', HTTP_PROXY: NOWHERE, HTTPS_PROXY: NOWHERE, NO_PROXY: '' };
    const { stdout, stderr } = await run(DENO, ['publish', '--dry-run', '--allow-dirty'], { cwd: REPO, env });
    const output = `${stdout}\n${stderr}`;
    expect(output).toContain('Checking for slow types in the public API');
    const said = output.split('\n').filter((line) => !line.includes('file://') && !line.startsWith('Checking for slow types'));
    expect(said.filter((line) => /warning|slow type|error/i.test(line))).toEqual([]);
    expect(output).toContain(`Simulating publish of ${jsr.name}@${jsr.version}`);
    const files = [...output.matchAll(/file:\/\/(\S+)/g)].map(([, path]) => path!.slice(REPO.length));
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'jsr.json', 'src/index.ts', 'src/fake/index.ts', 'src/relay/index.ts']));
    expect(files.filter((file) => !/^src\/.+\.ts$/.test(file))).toEqual(['LICENSE', 'README.md', 'jsr.json']);
  });
});
