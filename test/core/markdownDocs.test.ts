// The Markdown people read first (the demo's task, the walkthrough's steps, the README) rendered
// by a real CommonMark parser, with HTML on as in VS Code's preview: no inline code span may
// swallow prose or a <kbd> tag, and no stray backtick may be left in the rendered text.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';

const root = join(__dirname, '../../..');
const md = new MarkdownIt({ html: true });

/** What is wrong with how `text` renders: code spans holding markup, backticks left in prose, unbalanced <kbd>. */
function renderingProblems(text: string): string[] {
  const html = md.render(text);
  const problems: string[] = [];
  for (const [, code] of html.matchAll(/<code[^>]*>([\s\S]*?)<\/code>/g)) {
    // A closing tag inside code means the span began inside a <kbd> (`<kbd>` named in prose is fine).
    if (/&lt;\/kbd/.test(code!)) problems.push(`a code span swallowed a <kbd> tag: ${code}`);
  }
  const kbds = [...html.matchAll(/<kbd>/g)].length;
  if (kbds !== [...html.matchAll(/<\/kbd>/g)].length) problems.push('unbalanced <kbd> tags');
  // Code (inline and blocks) and key labels may show a backtick; prose may not.
  const prose = html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '').replace(/<kbd>[^<]*<\/kbd>/g, '');
  for (const line of prose.split('\n')) if (line.includes('`')) problems.push(`a stray backtick in rendered text: ${line}`);
  return problems;
}

const walkthroughDir = join(root, 'media/walkthrough');
const documents = [
  'demo/README.md',
  'README.md',
  ...readdirSync(walkthroughDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `media/walkthrough/${f}`),
];

describe('Markdown documents render as written', () => {
  it('the check catches the broken terminal shortcut the demo README once had', () => {
    const broken = '1. Open a terminal (<kbd>Ctrl</kbd>+<kbd>`</kbd>) and run `npm test` to see the failures.\n';
    const problems = renderingProblems(broken);
    assert.ok(
      problems.some((p) => p.includes('<kbd>')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('stray backtick')),
      problems.join('\n'),
    );
  });

  for (const doc of documents) {
    it(`${doc}: no code span swallows text, no backtick leaks`, () => {
      assert.deepEqual(renderingProblems(readFileSync(join(root, doc), 'utf8')), []);
    });
  }

  it('the demo README shows the terminal shortcut as keys and npm test as code', () => {
    const html = md.render(readFileSync(join(root, 'demo/README.md'), 'utf8'));
    assert.match(html, /<kbd>Ctrl<\/kbd>\+<kbd>`<\/kbd>/);
    assert.match(html, /run <code>npm test<\/code> to see/);
  });
});
