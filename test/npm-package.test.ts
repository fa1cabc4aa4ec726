import { execFileSync } from 'child_process';
import * as path from 'path';

// The npm tarball holds only what a consumer needs: the compiled library, the jsii assembly
// and the docs. No examples, cdk.out, tests, coverage, sources or tool configuration.
const ALLOWED = [/^lib\/.+\.(js|d\.ts)$/, /^\.jsii$/, /^API\.md$/, /^README\.md$/, /^LICENSE$/, /^package\.json$/];

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
}

describe('npm package', () => {
  const files = packedFiles();

  test('contains only the library, the jsii assembly and the docs', () => {
    // THEN
    expect(files.filter((f) => !ALLOWED.some((pattern) => pattern.test(f)))).toEqual([]);
  });

  test.each(['package.json', '.jsii', 'API.md', 'README.md', 'LICENSE', 'lib/index.js', 'lib/index.d.ts'])(
    'contains %s',
    (file) => {
      expect(files).toContain(file);
    },
  );

  test.each(['src/', 'test/', 'examples/', 'cdk.out/', 'coverage/', 'rosetta/', 'docs/', 'dist/'])(
    'contains nothing under %s',
    (dir) => {
      expect(files.filter((f) => f.startsWith(dir))).toEqual([]);
    },
  );
});
