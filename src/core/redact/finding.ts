// What a detector reports, and how overlapping reports become the sorted, disjoint list that
// redaction applies. Overlaps are merged into their union rather than trimmed: trimming the
// loser could leave part of a secret in the output.

/** A span of the scanned text that must not reach disk. Offsets are UTF-16 code units. */
export interface Finding {
  kind: string;
  start: number;
  end: number;
}

/** A detector's report before overlaps are resolved; `rank` breaks ties between kinds. */
export interface Candidate extends Finding {
  rank: number;
}

/** Rank by how much a rule knows: a vendor format says more than a name that merely sounds secret. */
export const Rank = {
  personal: 0,
  generic: 1,
  structural: 2,
  format: 3,
  block: 4,
} as const;

/**
 * Sorted, non-overlapping findings. Overlapping candidates merge into one span covering both; the
 * merged span keeps the kind of the highest-ranked candidate, the longest on a tie.
 */
export function resolveOverlaps(candidates: Candidate[]): Finding[] {
  if (candidates.length === 0) return [];
  const sorted = candidates.filter((c) => c.end > c.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Finding[] = [];
  let open: Candidate | undefined;
  let best: Candidate | undefined;
  for (const c of sorted) {
    if (open && best && c.start < open.end) {
      open.end = Math.max(open.end, c.end);
      if (c.rank > best.rank || (c.rank === best.rank && c.end - c.start > best.end - best.start)) best = c;
      continue;
    }
    if (open && best) out.push({ kind: best.kind, start: open.start, end: open.end });
    open = { ...c };
    best = c;
  }
  if (open && best) out.push({ kind: best.kind, start: open.start, end: open.end });
  return out;
}

/** True when [start, end) lies inside one of the sorted, disjoint findings. */
export function isCovered(findings: readonly Finding[], start: number, end: number): boolean {
  for (const f of findings) {
    if (f.start > start) return false;
    if (f.end >= end) return true;
  }
  return false;
}
