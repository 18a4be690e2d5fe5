// The layout is the architecture: each unit of src/ imports only from units below it, so the
// folder listing reads like the data's path (http -> stream -> fold -> events -> tools).
// Type-only imports count too: a type that points up drags its layer's meaning with it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Lowest first. A unit is a folder of src/, or a file at its top. Equal ranks may not import each other. */
const LAYERS: string[][] = [
  ['types'],
  ['own.ts'],
  ['redact.ts'],
  ['errors.ts'],
  ['http'],
  ['stream'],
  ['chat.ts'],
  ['paginate.ts'],
  ['fold'],
  ['partial-json'],
  ['structured'],
  ['events'],
  ['tools'],
  ['client.ts'],
  ['index.ts'],
  ['fake', 'relay'],
];
const RANK = new Map(LAYERS.flatMap((units, rank) => units.map((unit) => [unit, rank] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function unitOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

/** Every relative module a file names: imports, type imports and re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/g)].map((match) => match[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s*['"](\.[^'"]+)['"]/g)].map((match) => match[1]!);
  return [...specifiers, ...bare].map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('layers', () => {
  it('names every unit of src/ in the layer table', () => {
    const units = [...new Set(files.map(unitOf))];
    expect(units.filter((unit) => !RANK.has(unit))).toEqual([]);
  });

  it('imports only from units below (or within the same unit)', () => {
    const upward: string[] = [];
    for (const [file, imported] of graph) {
      for (const target of imported) {
        const from = unitOf(file);
        const to = unitOf(target);
        if (from !== to && !(RANK.get(to)! < RANK.get(from)!)) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no circle between files', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('resolves every relative import to a file of src/', () => {
    const missing = [...graph].flatMap(([file, imported]) => imported.filter((target) => !graph.has(target)).map((t) => `${relative(SRC, file)} -> ${t}`));
    expect(missing).toEqual([]);
  });
});
