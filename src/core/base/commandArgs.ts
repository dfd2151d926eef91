// Commands can be invoked with anything (a keybinding's args, a URI from a menu, another
// extension's object): take only well-typed fields, ignore the rest.
export type Args = Record<string, unknown>;

export function argsObject(raw: unknown): Args {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Args) : {};
}

export function boolArg(args: Args, key: string): boolean | undefined {
  const value = args[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function stringArg(args: Args, key: string, maxLength = 10_000): string | undefined {
  const value = args[key];
  return typeof value === 'string' && value.length <= maxLength ? value : undefined;
}
