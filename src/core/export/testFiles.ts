// Which paths are tests, and splitting a git diff into the part that touches them and the rest
// (SWE-bench's patch / test_patch).

const TEST_PATH = /(^|\/)(tests?|__tests__|specs?|testing)\/|(^|\/)test_[^/]*\.py$|_test\.(go|py|rb|exs?)$|[._-](test|spec)s?\.[a-z0-9]+$|(^|\/)conftest\.py$/i;

export function isTestPath(path: string): boolean {
  return TEST_PATH.test(path);
}

/** The sections of a `git diff` output, one per file, with the path each touches. */
export function diffSections(diff: string): { path: string; text: string }[] {
  const sections: { path: string; text: string }[] = [];
  const starts = [...diff.matchAll(/^diff --git a\/(.+?) b\/(.+)$/gm)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : diff.length;
    sections.push({ path: m[2]!, text: diff.slice(m.index, end) });
  });
  return sections;
}

export function splitTestPatch(diff: string): { patch: string; testPatch: string } {
  const sections = diffSections(diff);
  return {
    patch: sections.filter((s) => !isTestPath(s.path)).map((s) => s.text).join(''),
    testPatch: sections.filter((s) => isTestPath(s.path)).map((s) => s.text).join(''),
  };
}
