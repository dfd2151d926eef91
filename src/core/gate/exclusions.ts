// Files never recorded: secrets by convention, plus the policy's own globs. Both use .gitignore
// syntax (through `ignore`, the matcher eslint and prettier use): a pattern without a slash
// matches a name at any depth, one with a slash is anchored at the repository root.
import ignore from 'ignore';

export const DEFAULT_EXCLUDES = [
  '.env*',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.crt',
  '*.cert',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  'secrets.*',
  '*.secret',
  '*.secrets',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.pgpass',
  '.git-credentials',
  '**/.aws/credentials',
  '**/.docker/config.json',
  'credentials.json',
  '*.keystore',
  '*.jks',
  '*.kdbx',
  '.git/',
];

export type ExcludeMatcher = (relPath: string) => boolean;

export function excludeMatcher(extra: readonly string[] = []): ExcludeMatcher {
  const matcher = ignore({ ignorecase: true }).add([...DEFAULT_EXCLUDES, ...extra]);
  return (relPath) => {
    try {
      return matcher.ignores(relPath);
    } catch {
      return true; // a path the matcher cannot judge is not recorded
    }
  };
}
