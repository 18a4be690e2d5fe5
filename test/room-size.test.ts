// Rooms you can see whole: no file of src/ over MAX_FILE_LINES lines, and no function over
// MAX_FUNCTION_LINES lines of its own (a function nested in it counts for itself, not for it).
// Functions are found by the TypeScript compiler's own parser, so a method, an arrow function
// and a getter count the same as a `function`.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 50;

/**
 * Files over a limit that another change is splitting at the time of writing, each with the
 * limit it breaks; the test fails on an entry that no longer breaks it, so the list only shrinks.
 */
const BEING_SPLIT_ELSEWHERE: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

/** Every function of `file` with the lines of its body that are its own: its lines less those of the functions inside it. */
function functionsOf(file: ts.SourceFile): { name: string; own: number }[] {
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const span = (node: ts.Node) => lineOf(node.getEnd()) - lineOf(node.getStart(file)) + 1;
  const found: { name: string; own: number }[] = [];
  /** The lines that functions directly inside `node` take, less the line each shares with its surroundings. */
  const nestedLines = (node: ts.Node): number => {
    let lines = 0;
    node.forEachChild((child) => {
      if (isFunction(child)) {
        lines += span(child) - 1;
        visit(child);
      } else lines += nestedLines(child);
    });
    return lines;
  };
  const visit = (node: ts.Node): void => {
    if (isFunction(node) && node.body) {
      const name = `${node.name?.getText(file) ?? '(anonymous)'} at line ${lineOf(node.getStart(file)) + 1}`;
      found.push({ name, own: span(node.body) - nestedLines(node.body) });
      return;
    }
    node.forEachChild((child) => visit(child));
  };
  visit(file);
  return found;
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken,
  ts.SyntaxKind.PercentEqualsToken,
  ts.SyntaxKind.AmpersandEqualsToken,
  ts.SyntaxKind.BarEqualsToken,
  ts.SyntaxKind.CaretEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.AsteriskAsteriskEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

/** Whether `node` changes a variable or property: `=`, `+=`, `??=`, `++`, `--`. */
function isAssignment(node: ts.Node): boolean {
  if (ts.isBinaryExpression(node)) return ASSIGNMENTS.has(node.operatorToken.kind);
  const counts = ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node);
  return counts && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken);
}

/** An assignment that is a statement of its own, or a `for` loop's start or step. */
function standsAlone(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isExpressionStatement(parent)) return true;
  return ts.isForStatement(parent) && (parent.initializer === node || parent.incrementor === node);
}

/** Every assignment of `file` inside an expression: an argument, a condition, a returned value, another assignment. */
function assignmentsInExpressions(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (isAssignment(node) && !standsAlone(node))
      found.push(`line ${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${node.getText(file).slice(0, 60)}`);
    node.forEachChild(visit);
  };
  visit(file);
  return found;
}

const files = sourceFiles(SRC).map((path) => ({ path, name: relative(SRC, path), text: readFileSync(path, 'utf8') }));

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
const longFiles = files.filter(({ text }) => lineCount(text) > MAX_FILE_LINES).map(({ name }) => name);
const longFunctions = files.flatMap(({ name, text }) => {
  if (name.startsWith('types/')) return [];
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  return functionsOf(source)
    .filter((fn) => fn.own > MAX_FUNCTION_LINES)
    .map((fn) => ({ file: name, said: `${name}: ${fn.name}, ${fn.own} lines` }));
});

describe('rooms you can see whole', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    expect(longFiles.filter((name) => BEING_SPLIT_ELSEWHERE[name] !== 'file')).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines of its own (types aside)`, () => {
    expect(longFunctions.filter(({ file }) => BEING_SPLIT_ELSEWHERE[file] !== 'function').map(({ said }) => said)).toEqual([]);
  });

  it('has no assignment inside an expression', () => {
    const found = files.flatMap(({ name, text }) =>
      assignmentsInExpressions(ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true)).map((at) => `${name} ${at}`),
    );
    expect(found).toEqual([]);
  });

  it('lists only files that still break a limit as being split elsewhere', () => {
    const breaking = (name: string) => (BEING_SPLIT_ELSEWHERE[name] === 'file' ? longFiles.includes(name) : longFunctions.some(({ file }) => file === name));
    expect(Object.keys(BEING_SPLIT_ELSEWHERE).filter((name) => !breaking(name))).toEqual([]);
  });

  it('counts a nested function for itself, not for the function around it', () => {
    const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = `function outer() {\n${body(10)}\n  const inner = () => {\n${body(60)}\n  };\n  return inner;\n}\n`;
    const found = functionsOf(ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true));
    expect(found.map(({ own }) => own).sort((a, b) => a - b)).toEqual([14, 62]);
  });

  it('finds an assignment in a condition, an argument or a returned value, and only there', () => {
    const text = 'let a = 0;\na = 1;\na++;\nfor (a = 0; a < 2; a++) f(a);\nif ((a = 2)) f(a);\nf((a += 1));\nconst g = () => (a = 3);\nlet b = (a = 4);\n';
    const found = assignmentsInExpressions(ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true));
    expect(found.map((at) => at.split(':')[0])).toEqual(['line 5', 'line 6', 'line 7', 'line 8']);
  });
});
