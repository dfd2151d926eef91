// Line bounds looked up near a position. Rules only ever need the nearby part of a line, and an
// unbounded search from every match would make a long text without line breaks quadratic.

/** Start of the line holding `at`, but no further back than `max` characters. */
export function lineStartNear(text: string, at: number, max = 256): number {
  const floor = Math.max(0, at - max);
  for (let i = at - 1; i >= floor; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return floor;
}

/** End of the line holding `from` (the index of its newline), but no further than `max` characters. */
export function lineEndNear(text: string, from: number, max = 4096): number {
  const limit = Math.min(text.length, from + max);
  for (let i = from; i < limit; i++) if (text.charCodeAt(i) === 10) return i;
  return limit;
}
