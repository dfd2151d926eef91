// The extension's settings, typed, with their defaults and scopes. package.json's
// `contributes.configuration` is checked against this table by a test, so the two cannot drift.

export interface SettingSpec {
  type: 'string' | 'number' | 'boolean';
  default: string | number | boolean;
  /** `machine`: only user settings on this machine; a repository can never set it. */
  scope: 'machine' | 'application' | 'window';
  description: string;
  minimum?: number;
  maximum?: number;
}

export const SETTINGS = {
  storePath: {
    type: 'string',
    default: '',
    scope: 'machine',
    description:
      "Folder where Codetrail keeps recordings. Empty: the extension's global storage. The environment variable CODETRAIL_STORE overrides it. A workspace or repository can never set this.",
  },
  flushIntervalMs: {
    type: 'number',
    default: 1000,
    minimum: 100,
    maximum: 60000,
    scope: 'machine',
    description: 'How often buffered events are written to disk, in milliseconds. At most this much is lost if the editor crashes.',
  },
  idleMinutes: {
    type: 'number',
    default: 30,
    minimum: 1,
    maximum: 1440,
    scope: 'machine',
    description: 'Minutes without activity after which the recording session ends; the next activity starts a new one.',
  },
  retentionDays: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 3650,
    scope: 'machine',
    description: 'Delete recordings older than this many days. 0: follow each repository policy (retentionDays). The shorter of the two always applies.',
  },
  openWalkthrough: {
    type: 'boolean',
    default: true,
    scope: 'window',
    description:
      "Open the Codetrail walkthrough the first time a window holds a repository that asks to be recorded. Also off when VS Code's workbench.welcomePage.walkthroughs.openOnInstall is off (a remote window does not show that setting to extensions).",
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

export interface Settings {
  storePath: string;
  flushIntervalMs: number;
  idleMinutes: number;
  retentionDays: number;
}

/** Cleans raw values (from VS Code's configuration, possibly hand-edited) into typed settings. */
export function settingsFrom(read: (name: SettingName) => unknown): Settings {
  const storePath = read('storePath');
  return {
    storePath: typeof storePath === 'string' ? storePath.trim() : SETTINGS.storePath.default,
    flushIntervalMs: clampedNumber(read('flushIntervalMs'), SETTINGS.flushIntervalMs),
    idleMinutes: clampedNumber(read('idleMinutes'), SETTINGS.idleMinutes),
    retentionDays: clampedNumber(read('retentionDays'), SETTINGS.retentionDays),
  };
}

function clampedNumber(value: unknown, spec: { default: number; minimum: number; maximum: number }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return spec.default;
  return Math.min(spec.maximum, Math.max(spec.minimum, Math.round(value)));
}

/** CODETRAIL_STORE wins over the setting, which wins over the default location. */
export function resolveStorePath(env: NodeJS.ProcessEnv, settings: Settings, defaultPath: string): string {
  const fromEnv = env.CODETRAIL_STORE?.trim();
  if (fromEnv) return fromEnv;
  if (settings.storePath) return settings.storePath;
  return defaultPath;
}
