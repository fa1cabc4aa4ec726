/**
 * Reading the project's Markdown for the docs tests (`test/docs.test.ts`,
 * `test/docs-snippets.test.ts`): which files are docs, their links, their headings' anchors as
 * GitHub renders them, their `<!-- fact:... -->` values and their fenced code blocks.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

/** Every Markdown page a reader follows: the README, the top-level pages and docs/. */
export function docFiles(): string[] {
  const top = fs.readdirSync(ROOT).filter((f) => f.endsWith('.md') && f !== 'API.md');
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`);
  return [...top, ...docs].sort();
}

export function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf-8');
}

/** The text with fenced code blocks blanked out (line numbers kept). */
export function withoutCode(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*```/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line.replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function slug(heading: string): string {
  return heading
    .trim()
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a page offers: its headings (duplicates numbered as GitHub does) and `<a name>`/`id`. */
export function anchors(markdown: string): Set<string> {
  const result = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      result.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+[^>]*(?:name|id)="([^"]+)"/g)) {
      result.add(m[1]);
    }
  }
  return result;
}

export interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

/** Every Markdown link and image outside code: `[text](target)`, `![alt](target)`. */
export function links(file: string): Link[] {
  const result: Link[] = [];
  withoutCode(read(file))
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        result.push({ file, line: i + 1, target: m[1] });
      }
    });
  return result;
}

/** Why a relative link does not resolve, or undefined when it does. External links are not followed. */
export function brokenReason(link: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) {
    return undefined; // https:, mailto: ... (offline: not fetched)
  }
  const [pathPart, anchor] = link.target.split('#', 2);
  const target = pathPart === '' ? link.file : path.normalize(path.join(path.dirname(link.file), pathPart));
  const absolute = path.join(ROOT, target);
  if (target.startsWith('..') || !fs.existsSync(absolute)) {
    return `no file ${target}`;
  }
  if (anchor === undefined || anchor === '') {
    return undefined;
  }
  if (!target.endsWith('.md')) {
    return `an anchor into ${target}, which is not Markdown`;
  }
  return anchors(fs.readFileSync(absolute, 'utf-8')).has(anchor) ? undefined : `no anchor #${anchor} in ${target}`;
}

export interface Fact {
  readonly file: string;
  readonly key: string;
  readonly value: string;
}

/** Every `<!-- fact:KEY -->VALUE<!-- /fact -->` of a page (VALUE may span lines). */
export function facts(file: string): Fact[] {
  const text = read(file);
  // A marker quoted in inline code (`<!-- fact:... -->`, as in CONTRIBUTING.md) is an example, not a fact.
  return [...text.matchAll(/(?<!`)<!--\s*fact:([\w:.-]+)\s*-->([\s\S]*?)<!--\s*\/fact\s*-->/g)].map((m) => ({
    file,
    key: m[1],
    value: m[2].trim(),
  }));
}

/** A number written in prose: `1,130` is 1130; the first number in the text. */
export function numberIn(text: string): number {
  const m = /\d[\d,]*(?:\.\d+)?/.exec(text);
  if (!m) {
    throw new Error(`no number in: ${text}`);
  }
  return Number(m[0].replace(/,/g, ''));
}

export interface CodeBlock {
  readonly file: string;
  readonly line: number;
  /** The info string after the fence: `ts`, `ts nofixture`, `bash`... */
  readonly info: string;
  readonly code: string;
  /** The `<!-- docs-test:NAME -->` marker on the line before the fence, if any. */
  readonly marker?: string;
}

export function codeBlocks(file: string): CodeBlock[] {
  const lines = read(file).split('\n');
  const result: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]);
    if (!open) {
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) {
      body.push(lines[i]);
    }
    const before = start > 0 ? /<!--\s*docs-test:([\w-]+)\s*-->/.exec(lines[start - 1]) : null;
    result.push({ file, line: start + 1, info: open[1].trim(), code: body.join('\n'), marker: before?.[1] });
  }
  return result;
}
