/**
 * docs/PCI-DSS-v4.md claims only what a test shows (issue 24, item 9): every requirement section
 * that says what the construct does names the tests that prove it, and every test it names exists.
 * A reviewer reading the mapping can then open each cited test and see the template property it
 * asserts. A cited test that is renamed or deleted fails here, naming the section and the citation.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const MAPPING = fs.readFileSync(path.join(ROOT, 'docs', 'PCI-DSS-v4.md'), 'utf-8');

interface Section {
  readonly heading: string;
  readonly body: string;
}

/** The `## ` sections of the mapping. */
function sections(markdown: string): Section[] {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf('\n');
      return { heading: chunk.slice(0, newline).trim(), body: chunk.slice(newline + 1) };
    });
}

/** The text of the section's `**Tests:**` bullet, lines joined. */
function testsBullet(section: Section): string | undefined {
  const match = /^- \*\*Tests:\*\*([\s\S]*?)(?=^- \*\*|^#|(?![\s\S]))/m.exec(section.body);
  return match?.[1].replace(/\s+/g, ' ').trim();
}

interface Citation {
  readonly file: string;
  readonly name: string;
}

/** `test/a.test.ts` › "x"; › "y"; `test/b.test.ts` › "z": each name belongs to the file before it. */
function citations(bullet: string): Citation[] {
  const found: Citation[] = [];
  let file: string | undefined;
  const token = /`(test\/[\w.-]+\.test\.ts)`|› "([^"]+)"/g;
  for (let m = token.exec(bullet); m; m = token.exec(bullet)) {
    if (m[1]) {
      file = m[1];
    } else if (file) {
      found.push({ file, name: m[2] });
    }
  }
  return found;
}

/** Every string literal of a test file (test titles and `test.each` rows among them), whitespace folded; `${...}` stays in template literals. */
function literals(file: string): Set<string> {
  const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf-8'), ts.ScriptTarget.Latest);
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.add(node.text.replace(/\s+/g, ' '));
    } else if (ts.isTemplateExpression(node)) {
      found.add(node.getText(source).slice(1, -1).replace(/\s+/g, ' '));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A title's placeholders: jest's `%s`-style ones and template-literal `${...}`. */
const PLACEHOLDER = /%[sdpij#]|\$\{[^}]*\}/g;

/**
 * A cited name names a test when it equals a title; when it fills a parameterised title's
 * placeholders with values that are literals of the same file (a `test.each` row); or, written
 * with `…`, when the rest of it matches a title.
 */
function cites(name: string, file: string): boolean {
  const all = literals(file);
  if (all.has(name)) return true;
  if (name.includes('…')) {
    const pattern = new RegExp(`^${name.split('…').map(escape).join('.*')}$`);
    return [...all].some((title) => pattern.test(title.replace(PLACEHOLDER, '…')));
  }
  return [...all].some((title) => {
    const parts = title.split(PLACEHOLDER);
    if (parts.length < 2) return false;
    const match = new RegExp(`^${parts.map(escape).join('(.+?)')}$`).exec(name);
    return match !== null && match.slice(1).every((value) => all.has(value) || /^\d+$/.test(value));
  });
}

const REQUIREMENTS = sections(MAPPING).filter((s) => /^\d/.test(s.heading));

describe('docs/PCI-DSS-v4.md', () => {
  test('has requirement sections to check', () => {
    expect(REQUIREMENTS.length).toBeGreaterThan(15);
  });

  test.each(REQUIREMENTS.filter((s) => /^- \*\*Construct\b/m.test(s.body)).map((s) => [s.heading, s] as const))(
    '%s: a section that says what the construct does names the tests that prove it',
    (_heading, section) => {
      const bullet = testsBullet(section);
      expect(bullet).toBeDefined();
      expect(citations(bullet!).length).toBeGreaterThan(0);
    },
  );

  test.each(REQUIREMENTS.map((s) => [s.heading, s] as const))('%s: every test it cites exists', (_heading, section) => {
    const missing = citations(testsBullet(section) ?? '')
      .filter((c) => !fs.existsSync(path.join(ROOT, c.file)) || !cites(c.name, c.file))
      .map((c) => `${c.file} › "${c.name}"`);
    expect(missing).toEqual([]);
  });
});
