#!/usr/bin/env node
// Builds the publishable package (`npm run build:lib`) from libs/thai-bulk-sms/tsconfig.lib.json:
//
//   libs/thai-bulk-sms/dist/       CommonJS .js + .d.ts           -> exports "require" (and main/types)
//   libs/thai-bulk-sms/dist/esm/   ES modules .js + .d.ts, with a  -> exports "import"
//                                  {"type":"module"} package.json
//
// Both builds are the TypeScript compiler on the same files with the same options; the ESM one only
// changes `module` and `outDir`. tsc, not a per-file transpiler, because it knows which imports
// are types: it elides them and writes exact decorator metadata (emitDecoratorMetadata, which Nest
// DI reads). A per-file transpiler (swc, esbuild, transpileModule) has to guess, and a kept import
// of an interface is a link error under ESM ("does not provide an export named …").
//
// Node's ESM loader needs fully specified relative imports, which the sources do not have
// (`./sms/sms.service`, `./errors`). A transformer rewrites them in the ESM JavaScript and
// declarations: `./x` -> `./x.js`, `./dir` -> `./dir/index.js`; an import it cannot resolve to a
// compiled source file fails the build. Bare imports (`@nestjs/common`, `node:http`) stay as they are.
//
// CommonJS-only globals are not available in ES modules: `require`, `__dirname`, `__filename`,
// `module` and `exports` fail the build with file and line (optional peers are loaded with
// `await import()`, which both builds keep working).
//
// The entry points are listed in four places that must agree: package.json's "exports" and
// "typesVersions", tsconfig.lib.json's "include", and the consumer check's exports-parity.mjs.
// The build refuses to start when they differ, and checks every file "exports" names once built.
//
// Flags: --esm-only / --cjs-only (while debugging).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const libDir = path.join(repoRoot, 'libs', 'thai-bulk-sms');
const srcDir = path.join(libDir, 'src');
const configPath = path.join(libDir, 'tsconfig.lib.json');
const distDir = path.join(libDir, 'dist');
const esmDir = path.join(distDir, 'esm');

const args = process.argv.slice(2);
const buildCjs = !args.includes('--esm-only');
const buildEsm = !args.includes('--cjs-only');

const rel = (p) => path.relative(repoRoot, p);
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;

const host = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => repoRoot,
  getNewLine: () => '\n',
};

function fail(message) {
  console.error(`build:lib FAILED: ${message}`);
  process.exit(1);
}

function report(diagnostics) {
  if (diagnostics.length === 0) return;
  const format = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  console.error(format(diagnostics, host));
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) fail(`${diagnostics.length} TypeScript diagnostic(s), nothing emitted`);
}

function parseConfig(overrides) {
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, overrides, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => report([d]),
  });
  if (!parsed) fail(`cannot read ${rel(configPath)}`);
  report(parsed.errors);
  return parsed;
}

/** `./x` -> `./x.js`, `./dir` -> `./dir/index.js`, for a relative import written in `fromFile` (a .ts source). */
function fullySpecified(specifier, fromFile) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return specifier;
  if (/\.(c|m)?js$|\.json$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(fromFile), specifier);
  const bare = specifier.replace(/\/$/, '');
  if (ts.sys.fileExists(`${target}.ts`)) return `${bare}.js`;
  if (ts.sys.fileExists(path.join(target, 'index.ts'))) return `${bare}/index.js`;
  throw new Error(`${rel(fromFile)}: cannot resolve "${specifier}" to a compiled file (${rel(target)}.ts or ${rel(target)}/index.ts)`);
}

/** Transformer (JS `after` and `afterDeclarations`) that fully specifies every relative module specifier. */
function fullySpecifyTransformer(context) {
  const f = context.factory;
  return (root) => {
    if (!ts.isSourceFile(root)) return root; // bundles are not used here
    const fromFile = root.fileName.replace(/\.d\.ts$/, '.ts');
    const lit = (node) => f.createStringLiteral(fullySpecified(node.text, fromFile));
    const visit = (node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateImportDeclaration(node, node.modifiers, node.importClause, lit(node.moduleSpecifier), node.attributes);
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return f.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, lit(node.moduleSpecifier), node.attributes);
      }
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        const argument = f.updateLiteralTypeNode(node.argument, lit(node.argument.literal));
        return f.updateImportTypeNode(node, argument, node.attributes, ts.visitNode(node.qualifier, visit), ts.visitNodes(node.typeArguments, visit), node.isTypeOf);
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
        return f.updateCallExpression(node, node.expression, node.typeArguments, [lit(node.arguments[0]), ...node.arguments.slice(1)]);
      }
      if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name) && node.name.text.startsWith('.')) {
        throw new Error(`${rel(fromFile)}: relative module augmentation "${node.name.text}" is not supported by the ESM build`);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context);
  };
}

/**
 * CommonJS globals used by a library source file. Identifiers that the file declares itself
 * (a parameter or variable named `module`, say) are not globals; the check is by name and scope-blind
 * on purpose (false positives fail loudly, a miss would fail at runtime in ESM apps only).
 */
function commonJsGlobals(sourceFile) {
  const found = new Map();
  const declared = new Set();
  const visit = (node, parent) => {
    if ((ts.isVariableDeclaration(node) || ts.isBindingElement(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name && ts.isIdentifier(node.name)) {
      declared.add(node.name.text);
    }
    if (ts.isIdentifier(node) && ['require', '__dirname', '__filename', 'module', 'exports'].includes(node.text)) {
      const isPropertyName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent);
      if (!isPropertyName) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
        let use = node.text;
        if (node.text === 'require' && ts.isPropertyAccessExpression(parent)) use = `require.${parent.name.text}`;
        if (!found.has(use)) found.set(use, line + 1);
      }
    }
    ts.forEachChild(node, (child) => visit(child, node));
  };
  visit(sourceFile, undefined);
  for (const name of declared) found.delete(name);
  return found;
}

function build(label, parsed, { inspect, transformers } = {}) {
  const started = Date.now();
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  report(ts.getPreEmitDiagnostics(program));
  inspect?.(program);
  let files = 0;
  const writeFile = (fileName, text, writeByteOrderMark) => {
    files += 1;
    mkdirSync(path.dirname(fileName), { recursive: true });
    ts.sys.writeFile(fileName, text, writeByteOrderMark);
  };
  let result;
  try {
    result = program.emit(undefined, writeFile, undefined, false, transformers);
  } catch (err) {
    fail(`${label}: ${err.message}`);
  }
  report(result.diagnostics);
  if (result.emitSkipped) fail(`${label}: emit skipped`);
  console.log(`build:lib ${label}: ${files} files into ${rel(parsed.options.outDir)} (${secs(Date.now() - started)})`);
  return program;
}

/** Subpaths (`sandbox`, `queue`…) of package.json's "exports", the root entry as `.`. */
function entryPoints() {
  const pkg = JSON.parse(readFileSync(path.join(libDir, 'package.json'), 'utf8'));
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
  const names = subpaths.map((k) => (k === '.' ? '.' : k.slice(2)));
  const sourceOf = (name) => (name === '.' ? 'src/index.ts' : `src/${name}/index.ts`);
  const problems = [];
  const typesVersions = Object.keys(pkg.typesVersions?.['*'] ?? {});
  const include = parseConfig({}).raw.include ?? [];
  const parity = readFileSync(path.join(here, 'consumer-check', 'exports-parity.mjs'), 'utf8');
  for (const name of names) {
    if (!existsSync(path.join(libDir, sourceOf(name)))) problems.push(`"exports" names ${name}, but ${sourceOf(name)} is missing`);
    if (!include.includes(sourceOf(name))) problems.push(`tsconfig.lib.json "include" lacks ${sourceOf(name)}`);
    const specifier = name === '.' ? 'nestjs-thaibulksms' : `nestjs-thaibulksms/${name}`;
    if (!parity.includes(`'${specifier}'`)) problems.push(`scripts/consumer-check/exports-parity.mjs lacks '${specifier}'`);
    if (name !== '.' && !typesVersions.includes(name)) problems.push(`"typesVersions" lacks ${name}`);
  }
  for (const file of include) if (!names.some((n) => sourceOf(n) === file)) problems.push(`tsconfig.lib.json includes ${file}, which "exports" does not name`);
  for (const name of typesVersions) if (!names.includes(name)) problems.push(`"typesVersions" names ${name}, which "exports" does not`);
  if (problems.length) fail(`the entry points disagree:\n  ${problems.join('\n  ')}`);
  return { pkg, subpaths };
}

/** Every file package.json's "exports" and "typesVersions" point at, for the builds made. */
function checkBuiltEntries({ pkg, subpaths }) {
  const missing = [];
  for (const subpath of subpaths) {
    const conditions = pkg.exports[subpath];
    for (const [condition, files] of Object.entries(conditions)) {
      if ((condition === 'import' && !buildEsm) || (condition === 'require' && !buildCjs)) continue;
      for (const file of Object.values(files)) if (!existsSync(path.join(libDir, file))) missing.push(`${subpath} (${condition}): ${file}`);
    }
  }
  if (buildCjs) for (const [name, [file]] of Object.entries(pkg.typesVersions?.['*'] ?? {})) if (!existsSync(path.join(libDir, file))) missing.push(`typesVersions ${name}: ${file}`);
  if (missing.length) fail(`files named by package.json were not built:\n  ${missing.join('\n  ')}`);
  console.log(`build:lib entry points: ${subpaths.length} (${subpaths.join(', ')}), every file they name built`);
}

const t0 = Date.now();
const entries = entryPoints();
rmSync(distDir, { recursive: true, force: true });

if (buildCjs) build('commonjs', parseConfig({}));

if (buildEsm) {
  const parsed = parseConfig({ module: ts.ModuleKind.ES2022, outDir: esmDir });
  // Before emitting: which library sources use CommonJS globals.
  const inspect = (program) => {
    const problems = [];
    for (const sf of program.getSourceFiles()) {
      if (!path.resolve(sf.fileName).startsWith(srcDir + path.sep) || sf.isDeclarationFile) continue;
      for (const [use, line] of commonJsGlobals(sf)) problems.push(`${rel(sf.fileName)}:${line}: \`${use}\` does not exist in ES modules`);
    }
    if (problems.length) fail(`the ESM build cannot use CommonJS globals:\n  ${problems.join('\n  ')}`);
  };
  build('esm', parsed, {
    inspect,
    transformers: { after: [fullySpecifyTransformer], afterDeclarations: [fullySpecifyTransformer] },
  });
  mkdirSync(esmDir, { recursive: true });
  writeFileSync(path.join(esmDir, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
}

checkBuiltEntries(entries);
console.log(`build:lib ok (${secs(Date.now() - t0)})`);
