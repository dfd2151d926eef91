// Which store a command uses when --store is not given, and why: the environment variable the
// extension honours, then the user setting `codetrail.storePath` of an installed editor, then the
// extension's default location (its global storage) in VS Code, Insiders, VSCodium or code-server.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';

/** The extension's id (publisher.name): its global storage folder is named after it. */
export const EXTENSION_ID = 'codetrail.codetrail';

export interface StoreLocation {
  path: string;
  /** Where the choice came from. */
  source: 'option' | 'environment' | 'setting' | 'default';
  /** Why, in words: `codetrail where` prints it. */
  reason: string;
}

export interface Host {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  exists: (path: string) => boolean;
  readText: (path: string) => string | undefined;
}

export const realHost = (): Host => ({
  platform: process.platform,
  env: process.env,
  home: homedir(),
  exists: existsSync,
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
});

/** Each editor's user-data folder (the one holding `User/`), in the order they are tried. */
export function editorDataDirs(host: Host): { editor: string; dir: string }[] {
  const path = host.platform === 'win32' ? win32 : posix;
  const { env, home } = host;
  const names = [
    ['VS Code', 'Code'],
    ['VS Code Insiders', 'Code - Insiders'],
    ['VSCodium', 'VSCodium'],
  ] as const;
  let config: string;
  let codeServer: string;
  if (host.platform === 'win32') {
    config = env.APPDATA || path.join(home, 'AppData', 'Roaming');
    codeServer = path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'code-server', 'Data');
  } else if (host.platform === 'darwin') {
    config = path.join(home, 'Library', 'Application Support');
    codeServer = path.join(home, 'Library', 'Application Support', 'code-server');
  } else {
    config = env.XDG_CONFIG_HOME || path.join(home, '.config');
    codeServer = path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'code-server');
  }
  return [...names.map(([editor, folder]) => ({ editor, dir: path.join(config, folder) })), { editor: 'code-server', dir: codeServer }];
}

function settingOf(host: Host, dataDir: string): string | undefined {
  const path = host.platform === 'win32' ? win32 : posix;
  const text = host.readText(path.join(dataDir, 'User', 'settings.json'));
  if (text === undefined) return undefined;
  const settings = parseJsonc(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  const value = settings && typeof settings === 'object' ? settings['codetrail.storePath'] : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function locateStore(option: string | undefined, host: Host = realHost()): StoreLocation {
  if (option !== undefined) return { path: option, source: 'option', reason: 'given with --store' };
  const fromEnv = host.env.CODETRAIL_STORE?.trim();
  if (fromEnv) return { path: fromEnv, source: 'environment', reason: 'from the environment variable CODETRAIL_STORE' };
  const editors = editorDataDirs(host);
  const path = host.platform === 'win32' ? win32 : posix;
  for (const { editor, dir } of editors) {
    const setting = settingOf(host, dir);
    if (setting)
      return {
        path: setting,
        source: 'setting',
        reason: `from the setting codetrail.storePath in ${editor}'s user settings (${path.join(dir, 'User', 'settings.json')})`,
      };
  }
  const defaults = editors.map(({ editor, dir }) => ({ editor, path: path.join(dir, 'User', 'globalStorage', EXTENSION_ID, 'store') }));
  const found = defaults.find((d) => host.exists(d.path));
  if (found) return { path: found.path, source: 'default', reason: `the extension's default location in ${found.editor}` };
  return {
    path: defaults[0]!.path,
    source: 'default',
    reason: `the extension's default location in VS Code (nothing recorded there yet; also looked in ${defaults
      .slice(1)
      .map((d) => d.editor)
      .join(', ')})`,
  };
}
