/**
 * Every TypeScript example outside the README compiles (issue 22). The README's examples are
 * compiled by `rosetta:extract --strict` from the jsii assembly, which holds only the README; the
 * pages under docs/ and the top-level pages are not in the assembly, so this test compiles their
 * ```ts blocks the way rosetta does: each block inside `rosetta/default.ts-fixture` at `/// here`
 * (its imports hoisted to the top), or as it is when marked `ts nofixture`; strict TypeScript, with
 * `multi-az-failover-service` resolved to src/.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { CodeBlock, codeBlocks, docFiles, read, ROOT } from './lib/markdown';

/** The block as a complete program, as rosetta's fixture substitution makes it. */
function completeSource(block: CodeBlock): string {
  if (/\bnofixture\b/.test(block.info)) {
    return block.code;
  }
  const lines = block.code.split('\n');
  const imports = lines.filter((l) => /^import\s/.test(l));
  // `declare const x: T;` says "given an x": rosetta accepts it in the snippet; TypeScript only at
  // module level, so it goes before the fixture's class.
  const declarations = lines.filter((l) => /^declare\s/.test(l));
  const statements = lines.filter((l) => !/^(import|declare)\s/.test(l));
  const fixture = read('rosetta/default.ts-fixture');
  if (!/\/\/\/ here/.test(fixture) || !fixture.includes('\nclass Fixture')) {
    throw new Error("rosetta/default.ts-fixture has no '/// here' or no `class Fixture`");
  }
  return [
    ...imports,
    fixture
      .replace('\nclass Fixture', `\n${declarations.join('\n')}\nclass Fixture`)
      .replace(/\/\/\/ here/, statements.join('\n')),
  ].join('\n');
}

/** Compiles the files (name → source) together; returns each diagnostic as `name:line: message`. */
function compile(files: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    strict: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) =>
    files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const src = path.join(ROOT, 'src', 'index.ts');
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, compilerOptions, sourceFile) =>
    literals.map((literal) =>
      literal.text === 'multi-az-failover-service'
        ? { resolvedModule: { resolvedFileName: src, extension: ts.Extension.Ts, isExternalLibraryImport: false } }
        : ts.resolveModuleName(
            literal.text,
            containingFile,
            compilerOptions,
            host,
            undefined,
            redirected,
            ts.getModeForUsageLocation(sourceFile, literal, compilerOptions),
          ),
    );
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${d.file!.fileName}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

describe('docs snippets', () => {
  const blocks = docFiles()
    .filter((f) => f !== 'README.md')
    .flatMap(codeBlocks)
    .filter((b) => /^(ts|typescript)\b/.test(b.info));

  test('every ```ts block outside the README compiles in the rosetta fixture (strict)', () => {
    // GIVEN: one virtual file per block, named after its page and line, in the project folder (so
    // that node_modules resolves); and one block that must not compile, so that the check is seen
    // to fail in the same (one) compilation: `hostedZone` is required
    const files = new Map<string, string>();
    const origin = new Map<string, CodeBlock>();
    const broken: CodeBlock = {
      file: '(broken)',
      line: 1,
      info: 'ts',
      code: "new MultiAzFailoverService(this, 'Api', {});",
    };
    for (const block of [...blocks, broken]) {
      const name = path.join(ROOT, 'docs-snippets', `${block.file.replace(/[/.()]/g, '_')}_L${block.line}.ts`);
      files.set(name, completeSource(block));
      origin.set(name, block);
    }

    // WHEN
    const errors = compile(files).map((e) => {
      const [name] = e.split(':', 1);
      const block = origin.get(name)!;
      return `${block.file} (block at line ${block.line}): ${e.slice(name.length + 1)}`;
    });

    // THEN
    expect(blocks.length).toBeGreaterThan(10);
    expect(errors.filter((e) => e.startsWith('(broken)')).join('\n')).toMatch(/hostedZone/);
    expect(errors.filter((e) => !e.startsWith('(broken)'))).toEqual([]);
  });
});
