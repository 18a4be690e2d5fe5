import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** What goes into the throwaway project beside the installed package. */
const FIXTURES = join(REPO, 'test/runtimes/project');

export interface Packed {
  /** The `npm pack` tarball. */
  tarball: string;
  /** The throwaway project: node_modules/openai-chat-fetch installed from the tarball, and the fixtures. */
  project: string;
}

/**
 * The package as a user gets it: packed, installed into a throwaway project under the OS temp
 * dir, the runners and consumer files beside it. Named after a hash of everything that goes in,
 * so the test files that need it (each in its own worker) pack once between them, and a new
 * build or fixture gets a new project instead of a stale one.
 */
export async function packed(): Promise<Packed> {
  const dir = join(tmpdir(), `openai-chat-fetch-packed-${contentKey()}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (existsSync(dir)) return layout(dir);
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${lock} to go`);
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is packing; a lock older than any pack takes was left by a killed run.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    try {
      const building = `${dir}.tmp`;
      rmSync(building, { recursive: true, force: true });
      await build(building);
      // Appears whole or not at all, so a waiting worker never sees half an install.
      renameSync(building, dir);
      removeOldProjects(dir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * A throwaway user's project under the OS temp dir holding `files`: the package installed from
 * its tarball as users get it, and `packages` (zod, a bundler, …) linked from this repository.
 * ESM (`"type": "module"`). The caller removes it.
 */
export async function userProject(name: string, files: Record<string, string>, packages: Iterable<string> = []): Promise<string> {
  const { project } = await packed();
  const dir = mkdtempSync(join(tmpdir(), `openai-chat-fetch-${name}-`));
  const link = (from: string, pkg: string) => {
    mkdirSync(dirname(join(dir, 'node_modules', pkg)), { recursive: true });
    symlinkSync(join(from, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
  };
  link(project, 'openai-chat-fetch');
  for (const pkg of new Set(packages)) link(REPO, pkg);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function layout(dir: string): Packed {
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  return { tarball: join(dir, tarball!), project: join(dir, 'project') };
}

async function build(dir: string): Promise<void> {
  const project = join(dir, 'project');
  mkdirSync(project, { recursive: true });
  // dist/ as built and hashed (contentKey), without `prepack` building it again: a second build
  // would rewrite dist/ under the test files reading it, and on a loaded machine outlast run()'s
  // time limit.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json', '--silent'], { cwd: REPO });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'throwaway-consumer', private: true }, null, 2));
  // The package has no dependencies, so nothing needs the registry.
  await run('npm', ['install', `../${filename}`, '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', '--silent'], {
    cwd: project,
  });
  for (const name of readdirSync(FIXTURES)) copyFileSync(join(FIXTURES, name), join(project, name));
  for (const extension of ['ts', 'cts']) copyFileSync(join(FIXTURES, 'consumer.mts'), join(project, `consumer.${extension}`));
}

function contentKey(): string {
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does).');
  const hash = createHash('sha256');
  const files = ['package.json', 'README.md', ...listed('dist'), ...listed('test/runtimes/project')];
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(REPO, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

function listed(folder: string): string[] {
  return readdirSync(join(REPO, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(REPO.length))
    .sort();
}

/** Earlier builds' projects, once nothing can still be using them. */
function removeOldProjects(current: string): void {
  const prefix = 'openai-chat-fetch-packed-';
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith(prefix) || path === current || name.endsWith('.lock')) continue;
    if (Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}
