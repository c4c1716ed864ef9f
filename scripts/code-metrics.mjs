#!/usr/bin/env node
// Size figures of the library (`node scripts/code-metrics.mjs`, `--json` for machine output):
//
//   names per entry point   what each public entry exports (the TypeScript checker's view, types included)
//   files > 250 lines       library sources, not specs or test helpers
//   functions > 60 lines    functions, methods, accessors and arrow functions in library sources
//   error classes           classes that extend Error, and whether they live in src/errors/
//   lines > 120 characters  every library .ts file, specs included
//   external citations      comments or docs citing documents outside the repository
//
// The limits come from the house style (docs/architecture.md, "Size limits"); the script only
// reports, so a figure over a limit is read, not enforced, here.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const libSrc = path.join(repoRoot, 'libs', 'thai-bulk-sms', 'src');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'libs', 'thai-bulk-sms', 'package.json'), 'utf8'));
const rel = (p) => path.relative(libSrc, p);

const FILE_LIMIT = 250;
const FUNCTION_LIMIT = 60;
const LINE_LIMIT = 120;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const isTestFile = (f) => /\.(spec|e2e-spec|test-util)\.ts$/.test(f);
const allFiles = walk(libSrc).sort();
const sources = allFiles.filter((f) => !isTestFile(f));

// Entry points, as package.json names them.
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) => ({
    name: k === '.' ? 'nestjs-thaibulksms' : `nestjs-thaibulksms/${k.slice(2)}`,
    file: path.join(libSrc, k === '.' ? 'index.ts' : `${k.slice(2)}/index.ts`),
  }));

const program = ts.createProgram({
  rootNames: allFiles,
  options: {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    experimentalDecorators: true,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node', 'jest'],
  },
});
const checker = program.getTypeChecker();

function exportsOf(file) {
  const sf = program.getSourceFile(file);
  if (!sf) return undefined;
  const symbol = checker.getSymbolAtLocation(sf);
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()).sort() : [];
}

function functionsOf(sf) {
  const found = [];
  const visit = (node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    ) {
      if (node.body) {
        const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const name = node.name && 'text' in node.name ? node.name.text : describeAnonymous(node);
        found.push({ name, line: start + 1, lines: end - start + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function describeAnonymous(node) {
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && parent.name && 'text' in parent.name) return parent.name.text;
  if (parent && ts.isPropertyDeclaration(parent) && parent.name && 'text' in parent.name) return parent.name.text;
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function extendsError(type, seen = new Set()) {
  if (seen.has(type)) return false;
  seen.add(type);
  const symbol = type.getSymbol();
  if (symbol?.getName() === 'Error' && !symbol.valueDeclaration?.getSourceFile().fileName.startsWith(libSrc)) return true;
  if (!symbol || !(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) return false;
  return checker.getBaseTypes(type).some((b) => extendsError(b, seen));
}

function errorClassesOf(sf) {
  const found = [];
  const visit = (node) => {
    if (ts.isClassDeclaration(node) && node.name) {
      const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(node.name));
      if (type.isClass() && extendsError(type)) {
        const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
        found.push({ name: node.name.text, base: heritage?.types[0]?.expression.getText(sf) ?? '' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const result = { entries: {}, longFiles: [], longFunctions: [], errorClasses: [], longLines: 0, citations: [] };

for (const entry of entries) {
  const names = exportsOf(entry.file);
  result.entries[entry.name] = names ?? null;
}

for (const file of sources) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  if (count > FILE_LIMIT) result.longFiles.push({ file: rel(file), lines: count });
  const sf = program.getSourceFile(file);
  for (const fn of functionsOf(sf)) {
    if (fn.lines > FUNCTION_LIMIT) result.longFunctions.push({ file: rel(file), ...fn });
  }
}

for (const file of allFiles) {
  const sf = program.getSourceFile(file);
  for (const cls of errorClassesOf(sf)) {
    result.errorClasses.push({ file: rel(file), ...cls, inErrors: rel(file).startsWith(`errors${path.sep}`) });
  }
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.length > LINE_LIMIT) result.longLines += 1;
  }
}

try {
  const grep = execFileSync(
    'git',
    ['grep', '-nIE', ['\u00a7', 'DES' + 'IGN', 'shared' + '/docs'].join('|'), '--', 'libs', 'src', 'test', 'bench', 'scripts', 'docs', 'README.md'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  result.citations = grep.split('\n').filter(Boolean);
} catch (err) {
  if (err.status !== 1) throw err; // 1: no match
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log('Names per entry point');
  for (const [name, names] of Object.entries(result.entries)) {
    console.log(`  ${name.padEnd(36)} ${names === null ? 'missing' : names.length}`);
  }
  if (process.argv.includes('--names')) {
    for (const [name, names] of Object.entries(result.entries)) console.log(`\n${name}:\n  ${(names ?? []).join('\n  ')}`);
  }
  console.log(`\nLibrary source files over ${FILE_LIMIT} lines: ${result.longFiles.length}`);
  for (const f of result.longFiles) console.log(`  ${f.file} (${f.lines})`);
  console.log(`\nFunctions over ${FUNCTION_LIMIT} lines in library sources: ${result.longFunctions.length}`);
  for (const f of result.longFunctions) console.log(`  ${f.file}:${f.line} ${f.name} (${f.lines})`);
  const outside = result.errorClasses.filter((c) => !c.inErrors && !/\.(spec|test-util)\.ts$/.test(c.file));
  console.log(`\nError classes: ${result.errorClasses.length}, outside errors/ (specs and test helpers aside): ${outside.length}`);
  for (const c of outside) console.log(`  ${c.file} ${c.name} extends ${c.base}`);
  console.log(`\nLibrary lines over ${LINE_LIMIT} characters: ${result.longLines}`);
  console.log(`\nLines citing documents outside the repository: ${result.citations.length}`);
  for (const c of result.citations) console.log(`  ${c}`);
}
