// The lines two texts have in common, as runs: what authorship keeps of a file's authors across a
// change on disk, and which lines a commit adds. Any longest common subsequence of the lines does
// there (no patch is written from it, so jsdiff's exact alignment is not needed), and Jest's
// diff-sequences finds one over line numbers in linear space, 4-5× faster than jsdiff's line diff,
// which allocates an object per step of its walk.
import diffSequences from '@jest/diff-sequences';

/** A text's lines, each with its '\n' (the last may have none); none for ''. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length;) {
    const nl = text.indexOf('\n', i);
    const end = nl === -1 ? text.length : nl + 1;
    lines.push(text.slice(i, end));
    i = end;
  }
  return lines;
}

/** `count` lines equal in both, from line `a` of the first and line `b` of the second (0-based). */
export interface LineRun {
  a: number;
  b: number;
  count: number;
}

/** A longest common subsequence of two texts' lines, as runs in order (adjacent runs may come apart). */
export function commonLineRuns(a: readonly string[], b: readonly string[]): LineRun[] {
  // Lines compared as numbers: one string comparison per distinct line, not per step.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  };
  const ia = Int32Array.from(a, idOf);
  const ib = Int32Array.from(b, idOf);
  const runs: LineRun[] = [];
  diffSequences(
    ia.length,
    ib.length,
    (i, j) => ia[i] === ib[j],
    (count, i, j) => runs.push({ a: i, b: j, count }),
  );
  return runs;
}
