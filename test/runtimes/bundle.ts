import { join } from 'node:path';
import { build } from 'esbuild';

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
