// Which rules a text can possibly match, found in one pass: every rule names lower-case trigger
// words (gitleaks' keyword prefilter), and one case-insensitive alternation of all of them finds
// those present. One regex pass is several times faster than a substring search per trigger.

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class TriggerIndex {
  private readonly pattern: RegExp;
  /** For each trigger, the triggers it starts with (itself included): a match at one position is also theirs. */
  private readonly prefixes = new Map<string, string[]>();
  private readonly always: number[] = [];
  private readonly owners = new Map<string, number[]>();

  /** `triggerLists[i]` are rule i's triggers; an empty list means the rule always runs. */
  constructor(triggerLists: ReadonlyArray<readonly string[]>) {
    triggerLists.forEach((list, i) => {
      if (list.length === 0) this.always.push(i);
      for (const t of list) {
        const owners = this.owners.get(t) ?? [];
        owners.push(i);
        this.owners.set(t, owners);
      }
    });
    const all = [...this.owners.keys()].sort((a, b) => b.length - a.length);
    for (const t of all) this.prefixes.set(t, all.filter((p) => t.startsWith(p)));
    this.pattern = new RegExp(all.map(escapeRegExp).join('|') || '(?!)', 'gi');
  }

  /** Indexes of the rules whose triggers occur in `text`, in rule order. */
  triggered(text: string): number[] {
    const hit = new Set<number>(this.always);
    const re = this.pattern;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      for (const t of this.prefixes.get(m[0].toLowerCase()) ?? []) for (const i of this.owners.get(t) ?? []) hit.add(i);
      re.lastIndex = m.index + 1;
    }
    return [...hit].sort((a, b) => a - b);
  }

  /** True when any trigger occurs in `text`. */
  any(text: string): boolean {
    if (this.always.length > 0) return true;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text);
  }
}
