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
// Flags: --esm-only / --cjs-only (while debugging).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

const t0 = Date.now();
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

console.log(`build:lib ok (${secs(Date.now() - t0)})`);
