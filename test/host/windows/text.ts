/** What window `name` types in the two-windows test: the suite and the runner both use it. */
export function textFor(name: string): string {
  return Array.from({ length: 24 }, (_, i) => `${name} line ${i}\n`).join('');
}
