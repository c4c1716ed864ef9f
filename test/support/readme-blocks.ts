import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The code blocks of the two READMEs, for the specs that run them as pasted
 * (test/readme-library.e2e-spec.ts, test/readme-app.e2e-spec.ts). test/support/readme-registry.ts
 * says what becomes of each one.
 */

export const ROOT = resolve(__dirname, '../..');
export const READMES = { root: 'README.md', lib: 'libs/thai-bulk-sms/README.md' } as const;
export type ReadmeLabel = keyof typeof READMES;

export interface ReadmeBlock {
  readonly readme: ReadmeLabel;
  /** The `##` heading the block sits under. */
  readonly section: string;
  /** The fence's language: ts, bash, json, dotenv, text. */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `<readme> › <section> › <first line>`: what the registry knows the block by. */
  readonly key: string;
}

export function readmeBlocks(): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  for (const [readme, path] of Object.entries(READMES) as [ReadmeLabel, string][]) {
    const lines = readFileSync(join(ROOT, path), 'utf8').split('\n');
    let section = '';
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].startsWith('## ')) section = lines[i].slice(3).trim();
      const open = /^```(\S*)\s*$/.exec(lines[i]);
      if (!open) continue;
      const end = lines.indexOf('```', i + 1);
      if (end < 0) throw new Error(`${path}:${i + 1}: a code block that never closes`);
      const code = lines.slice(i + 1, end).join('\n') + '\n';
      blocks.push({
        readme,
        section,
        lang: open[1],
        code,
        line: i + 1,
        key: `${readme} › ${section} › ${code.split('\n')[0].trim()}`,
      });
      i = end;
    }
  }
  return blocks;
}

/** The file a TypeScript block names on its first line (`// app.module.ts …`). */
export function tsFileName(block: ReadmeBlock): string {
  const name = /^\/\/ ([\w.-]+\.ts)\b/.exec(block.code)?.[1];
  if (!name) throw new Error(`${block.key}: a ts block must start with "// <file>.ts", the file it goes in`);
  return name;
}

/**
 * Writes each TypeScript block to the file it names, one folder per README section (relative
 * imports between the blocks of a section work as in an app), under .tmp/ (git-ignored): inside
 * the repository, so `@nestjs/*` and the other packages resolve from its node_modules.
 */
export function writeTsBlocks(blocks: readonly ReadmeBlock[]): { dir: string; files: Map<string, string> } {
  const dir = join(ROOT, '.tmp', 'readme-blocks', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  const files = new Map<string, string>();
  for (const block of blocks.filter((b) => b.lang === 'ts')) {
    const file = join(dir, block.readme, slug(block.section), tsFileName(block));
    if ([...files.values()].includes(file))
      throw new Error(`${block.key}: another block of its section is ${file} too`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
    files.set(block.key, file);
  }
  return { dir, files };
}

/** Type errors of the blocks, compiled together with the repository's compiler options, `nestjs-thaibulksms` mapped to the library's sources. */
export function typeErrors(files: readonly string[]): string[] {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    incremental: false,
    baseUrl: ROOT,
    paths: {
      'nestjs-thaibulksms': ['libs/thai-bulk-sms/src'],
      'nestjs-thaibulksms/*': ['libs/thai-bulk-sms/src/*'],
    },
  };
  const program = ts.createProgram([...files], options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const where = d.file
        ? `${d.file.fileName.replace(`${ROOT}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
        : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

/** `KEY=value` lines of a dotenv block. */
export function dotenv(block: ReadmeBlock): Record<string, string> {
  return Object.fromEntries(
    block.code
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
