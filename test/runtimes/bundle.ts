import { join } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';
import { REPO } from './pack.js';

export interface Bundle {
  code: string;
  /** The files that went in, relative to the project: proves the installed copy was used. */
  inputs: string[];
}

/**
 * One file, as a user's bundler makes it for that runtime, from the throwaway project, so the
 * package resolves to its installed copy through its `exports`.
 */
export async function bundle(project: string, entry: string, options: { format: 'esm' | 'iife'; conditions?: string[] }): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(project, entry)],
    absWorkingDir: project,
    bundle: true,
    platform: 'browser',
    format: options.format,
    conditions: options.conditions,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

/**
 * A Worker module of this repository (under test/ or examples/), bundled as wrangler would:
 * `openai-chat-fetch` resolved to the copy installed in the throwaway project, the runtime's own
 * `cloudflare:` modules left to workerd. Its inputs are absolute paths.
 */
export async function bundleWorker(project: string, entry: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(REPO, entry)],
    plugins: [installed(project)],
    external: ['cloudflare:*'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

/**
 * `openai-chat-fetch` as installed from the tarball in the throwaway project, resolved through its
 * `exports`, rather than this repository's own copy.
 */
function installed(project: string): Plugin {
  return {
    name: 'installed-package',
    setup(build) {
      build.onResolve({ filter: /^openai-chat-fetch(\/|$)/ }, ({ path, kind, pluginData }) =>
        pluginData === project ? undefined : build.resolve(path, { kind, resolveDir: project, pluginData: project }),
      );
    },
  };
}
