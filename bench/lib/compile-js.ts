import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Transpiles the library, the sample app and the bench scripts to plain JavaScript under
 * bench/out/js, so a child process can run them without ts-node, as `npm start` and production
 * run compiled JavaScript. Needed where memory is measured: ts-node keeps the TypeScript compiler
 * (~50 MB, more once it has compiled the app) resident in the process, which is not the library's
 * memory. And where time is: ts-node also loads Node's REPL (and with it the `domain` module,
 * which wraps every EventEmitter emit) and source-map support into the process. Same compiler and options as ts-node's transpile-only mode
 * (`transpileModule`, decorator metadata on), so the code is the code ts-node would run.
 */
const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'bench', 'out', 'js');
const SOURCES = ['libs/thai-bulk-sms/src', 'src', 'bench'];
const SKIP = /(\.spec\.ts|\.test-util\.ts|\.d\.ts)$/;

let compiled: string | undefined;

/** Returns the path of `file` (a .ts path relative to the repo root) compiled to JavaScript. */
export function compiledPath(file: string): string {
  compiled ??= compileAll();
  return join(compiled, file.replace(/\.ts$/, '.js'));
}

/**
 * node flags and environment that run a compiled file with the repo's path aliases
 * (`@app/thai-bulk-sms` → the compiled library): tsconfig-paths with its base moved to bench/out/js.
 */
export function compiledRunner(): { execArgv: string[]; env: NodeJS.ProcessEnv } {
  compiled ??= compileAll();
  return {
    execArgv: ['-r', require.resolve('tsconfig-paths/register')],
    env: { TS_NODE_BASEURL: compiled, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
  };
}

function compileAll(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const compilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    sourceMap: false,
  };
  for (const source of SOURCES) {
    for (const file of walk(join(ROOT, source))) {
      const rel = relative(ROOT, file);
      if (rel.startsWith(join('bench', 'out'))) continue;
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      const target = join(OUT, rel.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
  return OUT;
}

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'out') yield* walk(path);
    } else if (name.endsWith('.ts') && !SKIP.test(name)) {
      yield path;
    }
  }
}
