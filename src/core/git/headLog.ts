// Moves of HEAD, read from its reflog (`logs/HEAD` in the git directory). Git appends one line per
// move, whatever made it (terminal, Source Control view, another tool), so reading only what was
// appended since last time is cheap. The identity git writes on each line is dropped unread.
import { open, type FileHandle } from 'node:fs/promises';
import { gitPaths } from './repository';

export interface ReflogEntry {
  old: string;
  new: string;
  /** Unix ms. */
  time: number;
  message: string;
}

export type ReflogKind = 'commit' | 'amend' | 'checkout' | 'merge' | 'rebase' | 'reset' | 'pull' | 'cherry-pick' | 'revert' | 'other';

export interface ReflogMove {
  kind: ReflogKind;
  /** For checkouts: what HEAD left and went to (a branch name, or a commit or tag when detached). */
  from?: string;
  to?: string;
}

// `<old> <new> <name> <<email>> <seconds> <zone>\t<message>`; the name and e-mail are matched
// only to be skipped.
const LINE = /^([0-9a-f]{40}|[0-9a-f]{64}) ([0-9a-f]{40}|[0-9a-f]{64}) .*? (\d+) [+-]\d{4}$/;

export function parseReflogLine(line: string): ReflogEntry | undefined {
  const tab = line.indexOf('\t');
  const head = tab < 0 ? line : line.slice(0, tab);
  const m = LINE.exec(head);
  if (!m) return undefined;
  const message = tab < 0 ? '' : line.slice(tab + 1).replace(/\r?\n$/, '');
  return { old: m[1]!, new: m[2]!, time: Number(m[3]) * 1000, message };
}

// Checked in order: `commit (merge)` is a merge, `commit (amend)` an amend, then plain commits.
const KINDS: [RegExp, ReflogKind][] = [
  [/^commit \(amend\)/, 'amend'],
  [/^commit \(merge\)/, 'merge'],
  [/^commit \(cherry-pick\)/, 'cherry-pick'],
  [/^commit( \(initial\))?:/, 'commit'],
  [/^checkout: /, 'checkout'],
  [/^pull\b/, 'pull'],
  [/^merge /, 'merge'],
  [/^rebase\b/, 'rebase'],
  [/^reset: /, 'reset'],
  [/^cherry-pick\b/, 'cherry-pick'],
  [/^revert\b/, 'revert'],
];

export function classifyReflog(entry: ReflogEntry): ReflogMove {
  const kind = KINDS.find(([re]) => re.test(entry.message))?.[1] ?? 'other';
  if (kind !== 'checkout') return { kind };
  // `git checkout` and `git switch` both write "checkout: moving from A to B".
  const m = /^checkout: moving from (.+) to (.+)$/.exec(entry.message);
  return m ? { kind, from: m[1]!, to: m[2]! } : { kind };
}

export interface NewReflogEntries {
  entries: ReflogEntry[];
  /** Where the next call starts: after the last complete line. */
  nextOffset: number;
  /** The file was rewritten (shorter, or the offset was not at a line's start): read from the start. */
  restarted: boolean;
}

/**
 * The entries appended to HEAD's reflog since `fromByteOffset`. A line still being written (no
 * newline yet) is left for the next call. No reflog yet: nothing, offset 0.
 */
export async function readNewReflogEntries(root: string, fromByteOffset: number): Promise<NewReflogEntries> {
  const [path] = await gitPaths(root, ['logs/HEAD']);
  const file = await open(path!, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!file) return { entries: [], nextOffset: 0, restarted: fromByteOffset > 0 };
  try {
    const { size } = await file.stat();
    let start = Math.max(0, fromByteOffset);
    let restarted = false;
    if (start > size || (start > 0 && !(await endsLine(file, start)))) {
      start = 0;
      restarted = true;
    }
    const bytes = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(bytes, 0, bytes.length, start);
    const complete = bytes.subarray(0, bytes.lastIndexOf(0x0a, bytesRead - 1) + 1);
    const entries = complete
      .toString('utf8')
      .split('\n')
      .map(parseReflogLine)
      .filter((e): e is ReflogEntry => e !== undefined);
    return { entries, nextOffset: start + complete.length, restarted };
  } finally {
    await file.close();
  }
}

/** Whether the byte before `offset` is a newline, i.e. the offset is where a line starts. */
async function endsLine(file: FileHandle, offset: number): Promise<boolean> {
  const one = Buffer.alloc(1);
  const { bytesRead } = await file.read(one, 0, 1, offset - 1);
  return bytesRead === 1 && one[0] === 0x0a;
}
