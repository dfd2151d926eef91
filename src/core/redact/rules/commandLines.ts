// Secrets given to commands as arguments, where no name says "password" next to the value and no
// vendor prefix gives it away: the program and the option do. Two families:
//
// - credential-bearing commands: `mysql -pVALUE`, `sshpass -p VALUE`, `docker login -p VALUE`,
//   `curl -u user:VALUE`, `redis-cli -a VALUE`, `sqlcmd -P VALUE`, `ldapsearch -w VALUE`,
//   `openssl ... -passin pass:VALUE`, `zip -P VALUE`, `htpasswd -b file user VALUE`,
//   `sqlplus user/VALUE@db`, `vault login VALUE`, `git clone https://VALUE@host/...`,
//   `git -c http.extraheader="Authorization: bearer VALUE"`, `kubectl ... --from-literal=k=VALUE`,
//   `gh secret set NAME --body VALUE`, `npm config set //host/:_authToken VALUE`, fish's
//   `set -gx API_TOKEN VALUE`, PowerShell's `ConvertTo-SecureString VALUE -AsPlainText`;
// - values written into a secret-bearing file (`.env*`, key files, credential files) or piped into
//   a command that reads a secret on standard input (`--password-stdin`, `chpasswd`): the
//   arguments of `echo`/`printf`/`Write-Output`, here-strings, `Set-Content -Value`, a bare
//   PowerShell string at the head of the pipeline.
//
// The command line is split the way a shell would (quotes, pipes, `;`, `&&`, redirections) with
// every word's offsets kept, so only the value is replaced and the command stays readable.
import type { Detector } from '../rule';
import { Rank, type Candidate } from '../finding';
import { looksRandom } from '../entropy';
import { isFakeValue } from '../fakeValues';
import { classifyName } from '../secretNames';

/** A word of a command line: its unquoted text, and where its value sits in the source. */
export interface Word {
  text: string;
  start: number;
  end: number;
  /** Offsets (in the source) of each character of `text`, so a part of it can be located. */
  at: number[];
  /** The word starts with a quote (a PowerShell string at the head of a pipeline is a value). */
  quoted: boolean;
}

interface SimpleCommand {
  words: Word[];
  /** Files written by `>`/`>>` (and read by `<<<`: here-string values). */
  writes: Word[];
  hereStrings: Word[];
}


/** Pipelines of simple commands, split at `;`, `&&`, `||`, `&` and newlines. */
export function parseCommandLine(text: string): SimpleCommand[][] {
  const pipelines: SimpleCommand[][] = [];
  let pipeline: SimpleCommand[] = [];
  let command: SimpleCommand = { words: [], writes: [], hereStrings: [] };
  let redirect: 'write' | 'here' | 'read' | null = null;
  const endCommand = () => {
    if (command.words.length || command.writes.length || command.hereStrings.length) pipeline.push(command);
    command = { words: [], writes: [], hereStrings: [] };
    redirect = null;
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length) pipelines.push(pipeline);
    pipeline = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '|' || c === ';' || c === '&' || c === '\n') {
      const two = text.slice(i, i + 2);
      const op = two === '||' || two === '&&' || two === '|&' || two === ';;' ? two : c;
      if (c === '&' && text[i + 1] === '>') {
        // &> file: a redirection, read below
      } else {
        if (op === '|' || op === '|&') endCommand();
        else endPipeline();
        i += op.length;
        continue;
      }
    }
    const redir = c === '>' || c === '<' || c === '&' || (c >= '0' && c <= '9' && (text[i + 1] === '>' || text[i + 1] === '<')) ? /^(?:\d?>>?\|?|&>>?|<<<|<<-?|<)/.exec(text.slice(i, i + 4)) : null;
    if (redir) {
      i += redir[0].length;
      if (text[i] === '&') {
        // 2>&1: a descriptor, not a file.
        i++;
        while (i < text.length && /\d|-/.test(text[i]!)) i++;
        continue;
      }
      redirect = redir[0] === '<<<' ? 'here' : redir[0].includes('>') ? 'write' : 'read';
      continue;
    }
    const word = readWord(text, i);
    i = word.next;
    if (redirect === 'write') command.writes.push(word.word);
    else if (redirect === 'here') command.hereStrings.push(word.word);
    else if (redirect === null) command.words.push(word.word);
    redirect = null;
  }
  endPipeline();
  return pipelines;
}

function readWord(text: string, from: number): { word: Word; next: number } {
  let i = from;
  let out = '';
  const at: number[] = [];
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '|' || c === '&' || c === '>' || c === '<') break;
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      const end = close === -1 ? text.length : close;
      for (let j = i + 1; j < end; j++) {
        if (c === '"' && text[j] === '\\' && j + 1 < end && /["\\$`]/.test(text[j + 1]!)) j++;
        out += text[j];
        at.push(j);
      }
      i = close === -1 ? text.length : close + 1;
      continue;
    }
    // A backslash escapes only what a POSIX shell would treat specially; elsewhere it is a
    // Windows path separator (PowerShell and cmd have no backslash escapes).
    if (c === '\\' && i + 1 < text.length && /[\s"'$`\\|&;<>()*?#~]/.test(text[i + 1]!)) {
      out += text[i + 1];
      at.push(i + 1);
      i += 2;
      continue;
    }
    out += c;
    at.push(i);
    i++;
  }
  return { word: { text: out, start: from, end: i, at, quoted: text[from] === '"' || text[from] === "'" }, next: i };
}

// ---- what counts as a secret-bearing file, a variable reference, a program ---------------------

const SECRET_FILE = /(?:^|[\\/])(?:\.env(?:\.[\w.-]+)?|[\w.-]*\.env|\.?(?:npmrc|netrc|pgpass|git-credentials|htpasswd|my\.cnf|pypirc)|id_(?:rsa|dsa|ecdsa|ed25519)[\w.-]*|[\w.-]*\.(?:pem|key|p12|pfx|jks|keystore|token|secret|secrets|cred|creds|credentials|passwd|password)|[\w.-]*(?:secret|token|passw|apikey|api[-_]key|credential|private[-_]?key)[\w.-]*)$/i;

export function isSecretFile(path: string): boolean {
  // Templates and source files are not where secrets are kept (`.env.example`, `token.ts`).
  return path.length > 0 && path.length < 4096 && SECRET_FILE.test(path) && !/\.(?:example|sample|template|dist|md|rst|html|ts|tsx|js|jsx|mjs|cjs|py|go|rs|java|kt|rb|php|cs|swift|c|h|cpp|sh|ps1)$/i.test(path);
}

/** A value that is only a reference ($VAR, ${VAR}, $(cmd), $env:X, %VAR%): nothing literal to hide. */
function isReference(v: string): boolean {
  return /^(?:\$\{?[A-Za-z_][\w:]*\}?|\$\(.*\)|`.*`|%[A-Za-z_]\w*%|\$env:[A-Za-z_]\w*|\{\{.*\}\}|<[^>]*>|-)$/.test(v);
}

function literalSecret(v: string): boolean {
  return v.length > 0 && v.length <= 4096 && !isReference(v) && !isFakeValue(v) && !/^\*+$/.test(v);
}

/** The program a simple command runs: `sudo`, `env A=b`, `command`, `exec`, `time`, `npx` skipped. */
function program(words: readonly Word[]): { name: string; index: number } | undefined {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!.text;
    if (/^[A-Za-z_]\w*=/.test(w) || /^(?:sudo|doas|env|command|exec|time|nohup|nice|builtin|-\S*)$/.test(w)) {
      i++;
      continue;
    }
    // PowerShell: `$cred = ConvertTo-SecureString ...` runs what follows the `=`.
    if (/^\$[\w:]+=?$/.test(w)) {
      i += w.endsWith('=') ? 1 : words[i + 1]?.text === '=' ? 2 : words.length;
      continue;
    }
    const name = w.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
    return { name, index: i };
  }
  return undefined;
}

// ---- emitting findings ------------------------------------------------------------------------

function push(out: Candidate[], word: Word, from: number, to = word.text.length, kind = 'command-argument-secret'): void {
  let a = from;
  let b = to;
  // Surrounding quotes inside the value (--password="x" after the '=') are not part of it.
  while (a < b && /["']/.test(word.text[a]!) && word.text[b - 1] === word.text[a]) {
    a++;
    b--;
  }
  const value = word.text.slice(a, b);
  if (!literalSecret(value)) return;
  const start = word.at[a];
  const end = word.at[b - 1];
  if (start === undefined || end === undefined) return;
  out.push({ kind, start, end: end + 1, rank: Rank.structural });
}

/** Option values: `-p X`, `-pX`, `--password X`, `--password=X` for the options listed. */
function optionValues(out: Candidate[], words: readonly Word[], from: number, spec: { short?: string[]; glued?: string[]; long?: string[]; longEq?: string[] }): void {
  for (let i = from; i < words.length; i++) {
    const w = words[i]!.text;
    if (w === '--') break;
    const next = words[i + 1];
    if (spec.short?.includes(w) && next) {
      push(out, next, 0);
      i++;
      continue;
    }
    for (const g of spec.glued ?? []) if (w.startsWith(g) && w.length > g.length && !w.startsWith('--')) push(out, words[i]!, g.length);
    for (const l of spec.long ?? []) {
      if (w === l && next) {
        push(out, next, 0);
        i++;
      } else if (w.startsWith(l + '=')) push(out, words[i]!, l.length + 1);
    }
    for (const l of spec.longEq ?? []) if (w.startsWith(l + '=')) push(out, words[i]!, l.length + 1);
  }
}

/** `user:secret` (curl -u) or `user%secret` (smbclient -U): the part after the separator. */
function afterSeparator(out: Candidate[], word: Word | undefined, sep: string): void {
  if (!word) return;
  const at = word.text.indexOf(sep);
  if (at > 0 && at < word.text.length - 1) push(out, word, at + 1);
}

function separatedOption(out: Candidate[], words: readonly Word[], from: number, flags: string[], sep: string): void {
  for (let i = from; i < words.length; i++) {
    const w = words[i]!.text;
    if (flags.includes(w)) afterSeparator(out, words[i + 1], sep);
    for (const f of flags) {
      if (f.startsWith('--') && w.startsWith(f + '=')) {
        const rest = w.slice(f.length + 1);
        const at = rest.indexOf(sep);
        if (at > 0) push(out, words[i]!, f.length + 2 + at);
      } else if (!f.startsWith('--') && w.startsWith(f) && w.length > f.length + 1 && w.indexOf(sep) > f.length) {
        push(out, words[i]!, w.indexOf(sep) + 1);
      }
    }
  }
}

const LOGIN_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'buildah', 'helm', 'oras', 'crane', 'regctl', 'finch']);
const MYSQL = new Set(['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlshow', 'mysqlcheck', 'mariadb', 'mariadb-dump', 'mysqlsh']);
const STDIN_SECRET = /(?:^|\s)--(?:password|token|secret)-stdin\b|(?:^|\s)--with-token\b/;

/** Arguments of a command that prints its arguments (echo, printf, Write-Output): the values it writes. */
function printedValues(out: Candidate[], cmd: SimpleCommand, always: boolean): boolean {
  const prog = program(cmd.words);
  for (const h of cmd.hereStrings) namedOrBare(out, h, always);
  if (!prog) return cmd.hereStrings.length > 0;
  const args = cmd.words.slice(prog.index + 1);
  if (prog.name === 'echo' || prog.name === 'print' || prog.name === 'write-output' || prog.name === 'write' || prog.name === 'write-host') {
    for (const a of args) if (!/^-[neErR]+$/.test(a.text) && a.text !== '--' && !/^-NoNewline$/i.test(a.text)) namedOrBare(out, a, always);
    return true;
  }
  if (prog.name === 'printf') {
    const rest = args[0]?.text === '-v' ? args.slice(2) : args;
    const format = rest[0];
    if (format && rest.length > 1 && format.text.includes('%')) for (const a of rest.slice(1)) namedOrBare(out, a, always);
    else if (format && !/^%[sb](\\n)?$/.test(format.text)) namedOrBare(out, format, always);
    return true;
  }
  // PowerShell: a bare string at the head of a pipeline is its value.
  if (cmd.words.length === 1 && cmd.words[0]!.quoted) {
    namedOrBare(out, cmd.words[0]!, always);
    return true;
  }
  return false;
}

/**
 * A value written into a secret file: `NAME=value` keeps its name and loses the value when the
 * name sounds secret or the value looks random (`NODE_ENV=production` stays); a bare value goes.
 */
function namedOrBare(out: Candidate[], w: Word, always = false): void {
  const lines = w.text.split(/\\n|\n/);
  let offset = 0;
  for (const line of lines) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*[=:]\s*/.exec(line);
    if (m) {
      const value = line.slice(m[0].length);
      if (value && (always || classifyName(m[1]!) || looksRandom(value.replace(/^["']|["']$/g, ''), 8))) push(out, w, offset + m[0].length, offset + line.length);
    } else if (line.trim()) push(out, w, offset + (line.length - line.trimStart().length), offset + line.trimEnd().length);
    offset += line.length + (w.text.slice(offset + line.length, offset + line.length + 2) === '\\n' ? 2 : 1);
  }
}

/**
 * Does this pipeline write into a secret file ('file'), or feed a command that reads a secret on
 * standard input ('stdin': then even `user:value` loses its value, as chpasswd reads it)?
 */
function secretSink(pipeline: readonly SimpleCommand[]): 'file' | 'stdin' | null {
  let sink: 'file' | 'stdin' | null = null;
  for (const cmd of pipeline) {
    if (cmd.writes.some((w) => isSecretFile(w.text))) sink ??= 'file';
    const prog = program(cmd.words);
    if (!prog) continue;
    const args = cmd.words.slice(prog.index + 1).map((w) => w.text);
    const line = args.join(' ');
    if (prog.name === 'tee' && args.some((a) => !a.startsWith('-') && isSecretFile(a))) sink ??= 'file';
    if (/^(?:out-file|set-content|add-content|sc|ac)$/.test(prog.name) && args.some((a, i) => !a.startsWith('-') && (i === 0 || /^-(?:FilePath|Path|LiteralPath)$/i.test(args[i - 1] ?? '')) && isSecretFile(a))) sink ??= 'file';
    if (STDIN_SECRET.test(' ' + line) || prog.name === 'chpasswd' || (prog.name === 'passwd' && args.includes('--stdin')) || (prog.name === 'vault' && args[0] === 'login' && args.includes('-'))) sink = 'stdin';
  }
  return sink;
}

function credentialCommand(out: Candidate[], cmd: SimpleCommand): void {
  const words = cmd.words;
  const prog = program(words);
  if (!prog) return;
  const args = words.slice(prog.index + 1);
  const from = prog.index + 1;
  const name = prog.name;
  if (MYSQL.has(name)) optionValues(out, words, from, { glued: ['-p'], longEq: ['--password'] });
  else if (name === 'sshpass') optionValues(out, words, from, { short: ['-p'], glued: ['-p'] });
  else if (LOGIN_TOOLS.has(name) && args.some((a) => a.text === 'login')) optionValues(out, words, from, { short: ['-p'], long: ['--password'] });
  else if (name === 'skopeo') {
    optionValues(out, words, from, { long: ['--password', '--src-password', '--dest-password'] });
    separatedOption(out, words, from, ['--creds', '--src-creds', '--dest-creds'], ':');
  }
  else if (name === 'curl') separatedOption(out, words, from, ['-u', '--user', '-U', '--proxy-user'], ':');
  else if (name === 'wget') optionValues(out, words, from, { longEq: ['--password', '--http-password', '--ftp-password', '--proxy-password'], long: ['--password', '--http-password', '--ftp-password', '--proxy-password'] });
  else if (name === 'redis-cli' || name === 'keydb-cli') optionValues(out, words, from, { short: ['-a'], long: ['--pass', '--user-pass'] });
  else if (name === 'sqlcmd' || name === 'bcp' || name === 'osql') optionValues(out, words, from, { short: ['-P'] });
  else if (/^ldap(?:search|modify|add|delete|whoami|passwd|compare|modrdn)$/.test(name)) optionValues(out, words, from, { short: ['-w', '-s', '-a'].slice(0, name === 'ldappasswd' ? 3 : 1) });
  else if (name === 'keytool') optionValues(out, words, from, { short: ['-storepass', '-keypass', '-srcstorepass', '-deststorepass', '-srckeypass', '-destkeypass', '-new'] });
  else if (name === 'openssl') {
    for (let i = from; i < words.length; i++) {
      const w = words[i]!.text;
      if (/^-(?:passin|passout|pass|password)$/.test(w) && words[i + 1] && /^pass:/.test(words[i + 1]!.text)) push(out, words[i + 1]!, 5);
      if ((w === '-k' || w === '-K' || w === '-kfile') && words[i + 1] && w !== '-kfile') push(out, words[i + 1]!, 0);
    }
  } else if (name === 'zip' || name === 'unzip' || name === 'zipcloak') optionValues(out, words, from, { short: ['-P'], long: ['--password'] });
  else if (name === '7z' || name === '7za' || name === '7zz' || name === 'unrar' || name === 'rar') optionValues(out, words, from, { glued: ['-p'] });
  else if (name === 'smbclient' || name === 'rpcclient' || name === 'smbmap') separatedOption(out, words, from, ['-U', '--user'], '%');
  else if (name === 'mongo' || name === 'mongosh' || name === 'mongodump' || name === 'mongorestore' || name === 'mongoexport' || name === 'mongoimport') optionValues(out, words, from, { short: ['-p'], long: ['--password'] });
  else if (name === 'sqlplus' || name === 'rman' || name === 'expdp' || name === 'impdp') {
    const first = args.find((a) => !a.text.startsWith('-'));
    if (first && /^[\w$#]+\/[^@\s/]+/.test(first.text)) push(out, first, first.text.indexOf('/') + 1, (/@/.exec(first.text)?.index ?? first.text.length));
  } else if (name === 'htpasswd') {
    const flags = args.filter((a) => a.text.startsWith('-')).map((a) => a.text).join('');
    const positional = args.filter((a) => !a.text.startsWith('-'));
    if (/b/.test(flags) && positional.length >= (/n/.test(flags) ? 2 : 3)) push(out, positional[positional.length - 1]!, 0);
  } else if (name === 'vault' && args[0]?.text === 'login') {
    const positional = args.slice(1).filter((a) => !a.text.startsWith('-') && !a.text.includes('='));
    if (positional[0]) push(out, positional[0], 0);
    for (const a of args) if (/^(?:password|token|secret_id)=/.test(a.text)) push(out, a, a.text.indexOf('=') + 1);
  } else if (name === 'net' && /^user$/i.test(args[0]?.text ?? '') && args[1] && args[2] && !args[2].text.startsWith('/') && args[2].text !== '*') push(out, args[2], 0);
  else if (name === 'net' && /^use$/i.test(args[0]?.text ?? '')) {
    const positional = args.slice(1).filter((a) => !a.text.startsWith('/'));
    if (positional.length >= 2 && positional[1]!.text !== '*' && !/^[A-Za-z]:$/.test(positional[1]!.text)) push(out, positional[positional.length - 1]!, 0);
  } else if (name === 'az') optionValues(out, words, from, { short: ['-p'], long: ['--password', '--client-secret', '--secret'] });
  else if (name === 'gh' && args[0]?.text === 'secret' && args[1]?.text === 'set') optionValues(out, words, from, { short: ['-b'], long: ['--body'] });
  else if (name === 'kubectl' || name === 'oc') {
    for (const a of args) {
      const m = /^--from-literal=[^=]+=/.exec(a.text);
      if (m) push(out, a, m[0].length);
    }
    optionValues(out, words, from, { long: ['--docker-password', '--password', '--token'] });
  } else if (name === 'convertto-securestring') {
    const s = args.findIndex((a) => /^-String$/i.test(a.text));
    const target = s >= 0 ? args[s + 1] : args.find((a) => !a.text.startsWith('-'));
    if (target && args.some((a) => /^-AsPlainText$/i.test(a.text))) push(out, target, 0);
  } else if (name === 'set' && args.length >= 2) {
    // fish: set -gx NAME value...
    const i = args.findIndex((a) => !a.text.startsWith('-'));
    if (i >= 0 && args[i + 1] && /^[A-Za-z_]\w*$/.test(args[i]!.text) && classifyName(args[i]!.text)) for (const v of args.slice(i + 1)) push(out, v, 0);
  } else if (name === 'git') {
    for (let i = from; i < words.length; i++) {
      const w = words[i]!;
      const header = /^http\.(?:[^=]*\.)?extraheader=\s*(?:authorization|private-token|x-api-key|x-auth-token)\s*:\s*(?:(?:basic|bearer|token)\s+)?/i.exec(w.text);
      if (header) push(out, w, header[0].length);
      urlUser(out, w);
      // git config [--global] KEY VALUE with a secret-sounding key.
    }
    const c = args.findIndex((a) => a.text === 'config');
    if (c >= 0) configValue(out, args.slice(c + 1));
  } else if ((name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun' || name === 'pip' || name === 'pip3' || name === 'poetry' || name === 'composer' || name === 'gem') && args.some((a) => a.text === 'config')) {
    const c = args.findIndex((a) => a.text === 'set' || a.text === 'http-basic' || a.text === 'github-oauth');
    if (c >= 0) configValue(out, args.slice(c + 1), args[c]!.text !== 'set');
  } else if (name === 'aws' && args[0]?.text === 'configure' && args[1]?.text === 'set') configValue(out, args.slice(2));
  for (const w of args) if (name !== 'git') urlUser(out, w);
}

/** KEY VALUE of a `config set`: the value when the key sounds secret (or always, for auth subcommands). */
function configValue(out: Candidate[], rest: readonly Word[], always = false): void {
  const positional = rest.filter((a) => !a.text.startsWith('-') || a.text.startsWith('//'));
  const key = positional[0];
  const value = positional[positional.length - 1];
  if (!key || !value || key === value) return;
  if (always || /auth|token|password|secret|_pass|apikey|api[-_]key/i.test(key.text)) push(out, value, 0);
}

/** `https://TOKEN@host/...`: a user part with no password that is itself a token. */
function urlUser(out: Candidate[], w: Word): void {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@:\s]+)@/i.exec(w.text);
  if (!m) return;
  const user = m[1]!;
  if (user.length >= 16 && (looksRandom(user, 16) || /\d/.test(user)) && !/^[a-z]+[-_.]?[a-z]+$/i.test(user)) push(out, w, m[0].indexOf(user), m[0].indexOf(user) + user.length);
}

// Lines worth splitting into words: they name a credential-bearing program or option, or write
// somewhere whose name could be a secret file, or feed a command that reads a secret on stdin.
const PROGRAMS =
  'mysql|mysqldump|mysqladmin|mysqlimport|mysqlshow|mysqlcheck|mariadb|mariadb-dump|mysqlsh|sshpass|docker|podman|nerdctl|buildah|helm|oras|crane|regctl|finch|skopeo|curl|wget|redis-cli|keydb-cli|sqlcmd|bcp|osql|ldap[a-z]+|keytool|openssl|zip|unzip|zipcloak|7z|7za|7zz|unrar|rar|smbclient|rpcclient|smbmap|mongo[a-z]*|sqlplus|rman|expdp|impdp|htpasswd|vault|net|az|gh|kubectl|oc|convertto-securestring|set|git|npm|yarn|pnpm|bun|pip3?|poetry|composer|gem|aws|chpasswd|passwd';
const PROGRAM_WORD = new RegExp(`(?<![\\w.-])(?:${PROGRAMS})(?:\\.exe)?(?=\\s|$)`, 'gi');
const COMMAND_PREFIX = /^(?:sudo|doas|env|then|do|exec|time|[A-Za-z_]\w*=\S*)$/;

/**
 * Whether a credential-bearing program stands where a command starts: at the line start, after a
 * pipe, `;`, `&&`, `(`, a PowerShell `=`, `sudo`/`env` or variable assignments. Scans backwards
 * from each mention, so ordinary code mentioning `git` or `set` costs one regular expression pass.
 */
function programAtCommandStart(line: string): boolean {
  PROGRAM_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PROGRAM_WORD.exec(line)) !== null) {
    let j = m.index;
    // A path in front of the program (/usr/bin/mysql, .\\tools\\7z.exe).
    if (j > 0 && (line[j - 1] === '/' || line[j - 1] === '\\')) while (j > 0 && !/\s/.test(line[j - 1]!)) j--;
    for (;;) {
      while (j > 0 && (line[j - 1] === ' ' || line[j - 1] === '\t')) j--;
      if (j === 0 || '|;&(`{='.includes(line[j - 1]!)) return true;
      let w = j;
      while (w > 0 && !/\s/.test(line[w - 1]!)) w--;
      if (!COMMAND_PREFIX.test(line.slice(w, j))) break;
      j = w;
    }
  }
  return false;
}

const OTHER_HINT = /:\/\/[^/\s@:]{16,}@|--(?:password|token|secret)-stdin|--with-token/i;
const SINK_HINT = /(?:>|\btee\b|out-file|set-content|add-content|\b[as]c\b|<<<)[^\n]*(?:env|key|pem|token|secret|pass|cred|rc\b|id_|p12|pfx|jks)/i;

export const commandLineSecrets: Detector = {
  triggers: [
    'mysql', 'mariadb', 'sshpass', 'login', 'curl', 'wget', 'redis-cli', 'keydb', 'sqlcmd', 'bcp', 'osql', 'ldap', 'keytool', 'openssl', 'zip', '7z', 'rar', 'smbclient', 'rpcclient', 'smbmap',
    'mongo', 'sqlplus', 'rman', 'expdp', 'impdp', 'htpasswd', 'net ', 'net.exe', 'az ', 'secret', 'kubectl', 'oc ', 'securestring', 'set ', 'git', 'config', 'skopeo', '://',
    '>', 'tee', 'out-file', 'set-content', 'add-content', 'sc ', 'ac ', 'stdin', 'chpasswd', 'passwd', '<<<', 'with-token',
  ],
  parts: [SECRET_FILE, STDIN_SECRET, PROGRAM_WORD, COMMAND_PREFIX, OTHER_HINT, SINK_HINT],
  find(text, out) {
    // Line by line (a backslash-newline continues a command), so a long file costs linear time and
    // an unbalanced quote never swallows what follows it.
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      while (end !== -1 && end > start && text[end - 1] === '\\' && end - start < 100_000) end = text.indexOf('\n', end + 1);
      if (end === -1) end = text.length;
      if (end - start <= 100_000) findInCommandLine(text, start, end, out);
      start = end + 1;
    }
  },
};

function findInCommandLine(source: string, from: number, to: number, out: Candidate[]): void {
  const text = source.slice(from, to);
  if (!(programAtCommandStart(text) || OTHER_HINT.test(text) || SINK_HINT.test(text))) return;
  const found: Candidate[] = [];
  findIn(text, found);
  for (const c of found) out.push({ ...c, start: c.start + from, end: c.end + from });
}

function findIn(text: string, out: Candidate[]): void {
  for (const pipeline of parseCommandLine(text)) {
    for (const cmd of pipeline) credentialCommand(out, cmd);
    const sink = secretSink(pipeline);
    if (!sink) continue;
    for (const cmd of pipeline) {
      printedValues(out, cmd, sink === 'stdin');
      const prog = program(cmd.words);
      if (prog && /^(?:set-content|add-content|sc|ac)$/.test(prog.name)) {
        const args = cmd.words.slice(prog.index + 1);
        const v = args.findIndex((a) => /^-Value$/i.test(a.text));
        const value = v >= 0 ? args[v + 1] : args.filter((a) => !a.text.startsWith('-'))[1];
        if (value) namedOrBare(out, value);
      }
    }
  }
}
