// The team's opt-in: `.codetrail.json` committed at a repository's root. A policy can narrow what
// is captured but never widen it, and never choose where data goes. Anything doubtful disables
// recording for that repository with a message that says why.
import { createHash } from 'node:crypto';
import { POLICY_LIMITS as LIMITS, POLICY_NAME_PATTERN, POLICY_OPTIONAL_KEYS, PolicySchema } from '../schema/policy';

export const POLICY_FILE = '.codetrail.json';
export const POLICY_MAX_BYTES = 64 * 1024;

export type CaptureLevel = 'full' | 'metadata';

export interface Policy {
  version: 1;
  enabled: boolean;
  /** Shown to engineers in the consent view. */
  purpose: string;
  contact: string;
  /** `metadata`: positions, sizes, kinds and outcomes, never code text. */
  capture: CaptureLevel;
  /** Extra globs, relative to the repository root, that are never recorded. */
  exclude: string[];
  retentionDays: number;
  /** Whether terminal output excerpts may be kept (command lines and exit codes always are). */
  terminalOutput: boolean;
  /** The published `org/repo` name exports use; empty: a pseudonymous id. */
  name: string;
}

/** Each optional key's default, as the schema states it (schema/policy.v1.schema.json shows the same). */
export const POLICY_DEFAULTS = Object.fromEntries(POLICY_OPTIONAL_KEYS.map((key) => [key, PolicySchema.properties[key].default])) as Omit<
  Policy,
  'version' | 'enabled'
>;

export type PolicyCheck = { ok: true; policy: Policy; hash: string; warnings: string[] } | { ok: false; hash: string; errors: string[]; warnings: string[] };

/** Keys that would let a repository decide where or how data leaves the machine. */
const STORAGE_KEY = /stor|path|dir|folder|upload|endpoint|url|server|dest|output(?!s?$)|export|sink/i;

export function policyHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function parsePolicy(text: string): PolicyCheck {
  const hash = policyHash(text);
  const errors: string[] = [];
  const warnings: string[] = [];
  const fail = () => ({ ok: false as const, hash, errors, warnings });

  if (Buffer.byteLength(text, 'utf8') > POLICY_MAX_BYTES) {
    errors.push(`${POLICY_FILE} is larger than ${POLICY_MAX_BYTES / 1024} KiB`);
    return fail();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    errors.push(`${POLICY_FILE} is not valid JSON: ${(err as Error).message}`);
    return fail();
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push(`${POLICY_FILE} must hold a JSON object`);
    return fail();
  }
  const obj = raw as Record<string, unknown>;
  const known = new Set(Object.keys(PolicySchema.properties));
  for (const key of Object.keys(obj)) {
    if (known.has(key)) continue;
    if (STORAGE_KEY.test(key) && key !== 'terminalOutput') errors.push(`"${key}": a policy cannot choose where recordings are stored or sent`);
    else warnings.push(`unknown key "${key}" ignored`);
  }

  if (obj.$schema !== undefined && typeof obj.$schema !== 'string') errors.push('"$schema" must be a string');
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify(undefined) is undefined, whatever its type says
  if (obj.version !== 1) errors.push(`"version" must be 1 (found ${JSON.stringify(obj.version) ?? 'nothing'})`);
  if (typeof obj.enabled !== 'boolean') errors.push('"enabled" must be true or false');
  const policy: Policy = { version: 1, enabled: obj.enabled === true, ...POLICY_DEFAULTS, exclude: [] };

  const str = (key: 'purpose' | 'contact') => {
    const value = obj[key];
    if (value === undefined) return;
    if (typeof value !== 'string') errors.push(`"${key}" must be a string`);
    else if (codePoints(value) > LIMITS[key]) errors.push(`"${key}" is longer than ${LIMITS[key]} characters`);
    else policy[key] = value;
  };
  str('purpose');
  str('contact');

  if (obj.capture !== undefined) {
    if (obj.capture === 'full' || obj.capture === 'metadata') policy.capture = obj.capture;
    else errors.push('"capture" must be "full" or "metadata"');
  }
  if (obj.exclude !== undefined) {
    const list = obj.exclude;
    if (!Array.isArray(list) || !list.every((g): g is string => typeof g === 'string')) errors.push('"exclude" must be a list of glob strings');
    else if (list.length > LIMITS.excludeCount) errors.push(`"exclude" has more than ${LIMITS.excludeCount} globs`);
    else if (list.some((g) => g.length === 0 || codePoints(g) > LIMITS.excludeLength))
      errors.push(`"exclude" globs must be 1 to ${LIMITS.excludeLength} characters`);
    else if (list.some((g) => g.startsWith('!'))) errors.push('"exclude" cannot un-exclude ("!" globs): a policy can only narrow what is recorded');
    else policy.exclude = list;
  }
  if (obj.retentionDays !== undefined) {
    const days = obj.retentionDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > LIMITS.retentionDays) {
      errors.push(`"retentionDays" must be a whole number from 1 to ${LIMITS.retentionDays}`);
    } else policy.retentionDays = days;
  }
  if (obj.name !== undefined) {
    const name = obj.name;
    if (typeof name !== 'string' || codePoints(name) > LIMITS.name || !new RegExp(POLICY_NAME_PATTERN).test(name))
      errors.push('"name" must be "org/repo" (letters, digits, ".", "_", "-"), or empty');
    else policy.name = name;
  }
  if (obj.terminalOutput !== undefined) {
    if (typeof obj.terminalOutput === 'boolean') policy.terminalOutput = obj.terminalOutput;
    else errors.push('"terminalOutput" must be true or false');
  }
  return errors.length > 0 ? fail() : { ok: true, policy, hash, warnings };
}

/** Lengths as JSON Schema's maxLength counts them: characters, not UTF-16 units. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * What `Codetrail: Create a Team Policy…` writes: every key with its default, so the team sees
 * what it can set (JSON has no comments: the schema's descriptions explain each key on hover).
 */
export function starterPolicyText(): string {
  return JSON.stringify({ version: 1, enabled: true, ...POLICY_DEFAULTS }, null, 2) + '\n';
}
