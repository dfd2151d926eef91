/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The command ran and found something wrong (a failed verify, a finding in audit). */
  findings: 1,
  /** Bad command line. */
  usage: 2,
  /** Unreadable input: a missing store, a corrupt export. */
  badInput: 3,
  failure: 4,
} as const;
