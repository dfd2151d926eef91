// jsdiff's unified patch, with the whole lines both texts begin with set aside first.
// jsdiff's algorithm starts by walking that common prefix, and what it does after depends only on
// positions relative to where the walk stopped: diffing the rest gives the same patch with its
// hunks moved down by the lines set aside. What is saved is
// tokenising, comparing, joining and re-splitting the prefix, on every edit of a long file.
// (A common suffix cannot be set aside so: jsdiff may align repeated lines differently without it.)
// test/core/lineDiff.test.ts checks it against jsdiff's own on generated texts.
import { createPatch, formatPatch, structuredPatch } from 'diff';

const BLOCK = 256;

/**
 * Where the whole lines `a` and `b` both begin with end (a line ends with its '\n'), less the last
 * `keep` of them: the offset in characters and the number of lines before it.
 */
export function commonLines(a: string, b: string, keep = 0): { chars: number; lines: number } {
  const n = Math.min(a.length, b.length);
  let i = 0;
  // Compared a block at a time natively, then a character at a time within the block that differs.
  while (i + BLOCK <= n && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let chars = i === 0 ? 0 : a.lastIndexOf('\n', i - 1) + 1;
  for (let k = 0; k < keep && chars > 0; k++) chars = chars >= 2 ? a.lastIndexOf('\n', chars - 2) + 1 : 0;
  let lines = 0;
  for (let nl = a.indexOf('\n'); nl !== -1 && nl < chars; nl = a.indexOf('\n', nl + 1)) lines++;
  return { chars, lines };
}

/** `createPatch(file, a, b, '', '', { context })` of jsdiff, the same text. */
export function linePatch(file: string, a: string, b: string, context: number): string {
  const { chars, lines } = commonLines(a, b, context);
  if (chars === 0) return createPatch(file, a, b, '', '', { context });
  const patch = structuredPatch(file, file, a.slice(chars), b.slice(chars), '', '', { context });
  for (const hunk of patch.hunks) {
    hunk.oldStart += lines;
    hunk.newStart += lines;
  }
  return formatPatch(patch);
}
