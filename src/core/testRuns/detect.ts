// Which terminal command lines run tests, and with which runner. Works on shell words, not on the
// raw string, so `echo npm test` or `git commit -m "npm test"` never count: only a command's own
// program and arguments do. The shell is unknown (bash, zsh, PowerShell, cmd), so the tokenizer
// keeps to what they share.

export type TestRunnerId =
  'npm' | 'yarn' | 'pnpm' | 'jest' | 'vitest' | 'mocha' | 'node-test' | 'pytest' | 'unittest' | 'go' | 'cargo' | 'maven' | 'gradle' | 'dotnet';

export interface TestCommand {
  runner: TestRunnerId;
  /** The simple command that runs the tests, as typed (env prefix included), cut from its `&&`, `;` or `|` chain. */
  command: string;
}

/** Package managers run a script whose runner only its output tells. */
export const PACKAGE_MANAGER_RUNNERS: ReadonlySet<TestRunnerId> = new Set<TestRunnerId>(['npm', 'yarn', 'pnpm']);

interface Word {
  text: string;
  start: number;
  end: number;
}

type Token = Word | { op: string };

const OPERATORS = ['&&', '||', '|&', ';;', '|', ';', '&', '(', ')', '\n'];
/** Characters after which a backslash escapes; elsewhere it is kept (Windows paths: `.\mvnw.cmd`). */
const ESCAPABLE = new Set([...' \t\'"\\$`;&|<>()#*?[]{}!~\n']);

/**
 * Splits a command line into words and control operators, POSIX-style: quotes group, backslash
 * escapes a special character, `#` at a word start begins a comment. Redirections (`> log`, `2>&1`)
 * are dropped together with their target. `$(...)` and backquotes stay inside the word.
 */
function shellTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let dropNextWord = false;
  const n = line.length;
  while (i < n) {
    const ch = line[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < n && line[i] !== '\n') i++;
      continue;
    }
    const redirect = /^(?:\d*|&)(?:>>|>&|>\||<<<|<<|<>|<&|>|<)(?:&?[\d-])?/.exec(line.slice(i, i + 8));
    if (redirect && /[<>]/.test(redirect[0])) {
      i += redirect[0].length;
      dropNextWord = !/&[\d-]$/.test(redirect[0]); // `2>&1` names its target itself
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ op: op === '\n' ? ';' : op });
      dropNextWord = false;
      i += op.length;
      continue;
    }
    const start = i;
    let text = '';
    let depth = 0; // inside $( ... )
    while (i < n) {
      const c = line[i] as string;
      if (
        depth === 0 &&
        (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')')
      )
        break;
      if (c === "'") {
        const close = line.indexOf("'", i + 1);
        const end = close === -1 ? n : close;
        text += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(line[i + 1] as string)) i++;
          text += line[i];
          i++;
        }
        i++;
      } else if (c === '\\' && i + 1 < n && ESCAPABLE.has(line[i + 1] as string)) {
        text += line[i + 1];
        i += 2;
      } else {
        if (c === '$' && line[i + 1] === '(') depth++;
        else if (c === ')' && depth > 0) depth--;
        text += c;
        i++;
      }
    }
    if (dropNextWord) dropNextWord = false;
    else tokens.push({ text, start, end: Math.min(i, n) });
  }
  return tokens;
}

/** Splits tokens into simple commands at every control operator. */
function simpleCommands(tokens: Token[]): Word[][] {
  const commands: Word[][] = [[]];
  for (const token of tokens) {
    if ('op' in token) commands.push([]);
    else commands[commands.length - 1]?.push(token);
  }
  return commands.filter((words) => words.length > 0);
}

/** `/usr/bin/python3.exe` → `python3`; `.\mvnw.cmd` → `mvnw`. */
function programName(word: string): string {
  const base = word.split(/[\\/]/).pop() ?? word;
  return base.replace(/\.(?:exe|cmd|bat|ps1|js|mjs|cjs)$/i, '').toLowerCase();
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const RESERVED = new Set([
  '!',
  '{',
  '}',
  'if',
  'then',
  'elif',
  'else',
  'do',
  'while',
  'until',
  'time',
  'builtin',
  'command',
  'exec',
  'nohup',
  'noglob',
  'call',
]);

/** Prefix commands that run their arguments as a command: options that take a value, and how many operands come before the command. */
const WRAPPERS: Record<string, { valueFlags: string[]; operands: number }> = {
  sudo: { valueFlags: ['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U'], operands: 0 },
  env: { valueFlags: ['-u', '-C', '-S'], operands: 0 },
  nice: { valueFlags: ['-n'], operands: 0 },
  timeout: { valueFlags: ['-s', '-k', '--signal', '--kill-after'], operands: 1 },
  stdbuf: { valueFlags: ['-i', '-o', '-e'], operands: 0 },
  'xvfb-run': { valueFlags: ['-n', '-s', '-f', '-e', '-p', '--server-num', '--server-args'], operands: 0 },
  dotenv: { valueFlags: ['-e', '-v', '-c'], operands: 0 },
};

/** Drops env assignments, shell keywords and prefix commands (`CI=1 time sudo -E npm test`). */
function stripPrefixes(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const text = (words[i] as Word).text;
    if (ASSIGNMENT.test(text) || RESERVED.has(text) || (text === '-p' && words[i - 1]?.text === 'time')) {
      i++;
      continue;
    }
    const wrapper = WRAPPERS[programName(text)];
    if (!wrapper) break;
    i++;
    let operands = wrapper.operands;
    while (i < words.length) {
      const arg = (words[i] as Word).text;
      if (arg === '--') {
        i++;
        break;
      }
      if (arg.startsWith('-') && arg.length > 1) i += wrapper.valueFlags.includes(arg) ? 2 : 1;
      else if (ASSIGNMENT.test(arg)) i++;
      else if (operands > 0) {
        operands--;
        i++;
      } else break;
    }
  }
  return words.slice(i);
}

/** Skips leading options; `valueFlags` take the next word as their value. Returns the index of the first operand. */
function skipFlags(args: string[], from: number, valueFlags: readonly string[] = []): number {
  let i = from;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '--') return i + 1;
    if (!arg.startsWith('-') || arg === '-') return i;
    i += valueFlags.includes(arg) ? 2 : 1;
  }
  return i;
}

function isTestScript(name: string | undefined): boolean {
  return name === 'test' || (name?.startsWith('test:') ?? false);
}

/** Options that make a runner print something other than a test run. */
const INFO_FLAGS = new Set([
  '--version',
  '-V',
  '--help',
  '-h',
  '--listTests',
  '--showConfig',
  '--init',
  '--list',
  '--collect-only',
  '--co',
  '--fixtures',
  '--markers',
  '--no-run',
]);

/** Executables that are test runners themselves, wherever they were found (`node_modules/.bin/jest`). */
const DIRECT_RUNNERS: Record<string, TestRunnerId> = {
  jest: 'jest',
  vitest: 'vitest',
  mocha: 'mocha',
  _mocha: 'mocha',
  pytest: 'pytest',
  'py.test': 'pytest',
  'pytest-3': 'pytest',
};

function directRunner(program: string, args: string[]): TestRunnerId | undefined {
  const runner = DIRECT_RUNNERS[program];
  if (!runner || args.some((arg) => INFO_FLAGS.has(arg))) return undefined;
  if (runner === 'vitest' && ['bench', 'list', 'init'].includes(args[skipFlags(args, 0)] ?? '')) return undefined;
  return runner;
}

/** `npm test`, `npm run test:unit`, `npm exec jest`, `npx vitest`. */
function npmRunner(args: string[]): TestRunnerId | undefined {
  const i = skipFlags(args, 0, ['--prefix', '-C', '-w', '--workspace']);
  const sub = args[i];
  if (sub === 'test' || sub === 't' || sub === 'tst') return 'npm';
  if (sub === 'run' || sub === 'run-script' || sub === 'rum' || sub === 'urn') {
    return isTestScript(args[skipFlags(args, i + 1, ['--prefix', '-w', '--workspace'])]) ? 'npm' : undefined;
  }
  if (sub === 'exec' || sub === 'x') return packageRunner(args.slice(i + 1));
  return undefined;
}

/** `npx`, `bunx`, `pnpm dlx`, `yarn dlx`, `npm exec`: the first operand is the program. */
function packageRunner(args: string[]): TestRunnerId | undefined {
  const i = skipFlags(args, 0, ['-p', '--package', '-c', '--call', '-w', '--workspace']);
  const program = args[i];
  return program === undefined ? undefined : directRunner(programName(program), args.slice(i + 1));
}

/** yarn and pnpm run scripts and binaries by bare name: `yarn test`, `pnpm test:unit`, `yarn jest`. */
function yarnOrPnpmRunner(manager: 'yarn' | 'pnpm', args: string[]): TestRunnerId | undefined {
  const valueFlags = ['--cwd', '-C', '--dir', '--filter', '-F', '--workspace-root'];
  let i = skipFlags(args, 0, valueFlags);
  if (manager === 'yarn' && args[i] === 'workspace') i = skipFlags(args, i + 2, valueFlags);
  let sub = args[i];
  if (sub === 'run' || sub === 'exec' || sub === 'dlx') {
    if (sub !== 'run') return packageRunner(args.slice(i + 1));
    i = skipFlags(args, i + 1, valueFlags);
    sub = args[i];
  }
  if (sub === undefined) return undefined;
  if (isTestScript(sub) || (manager === 'pnpm' && (sub === 't' || sub === 'tst'))) return manager;
  return directRunner(programName(sub), args.slice(i + 1));
}

/** `python -m pytest`, `python3 -X dev -m unittest`, `python manage.py test` (Django's runner prints unittest's report). */
function pythonRunner(args: string[]): TestRunnerId | undefined {
  let i = 0;
  while (i < args.length) {
    const arg = args[i] as string;
    if (arg === '-m' || (arg.startsWith('-m') && arg.length > 2)) {
      const module = arg === '-m' ? args[i + 1] : arg.slice(2);
      const rest = args.slice(arg === '-m' ? i + 2 : i + 1);
      if (module === 'pytest' || module === 'py.test') return rest.some((a) => INFO_FLAGS.has(a)) ? undefined : 'pytest';
      if (module === 'unittest') return rest.some((a) => a === '-h' || a === '--help') ? undefined : 'unittest';
      return undefined;
    }
    if (arg === '-c') return undefined;
    if (!arg.startsWith('-'))
      return programName(arg) === 'manage.py' || programName(arg) === 'manage' ? (args[i + 1] === 'test' ? 'unittest' : undefined) : undefined;
    i += arg === '-X' || arg === '-W' ? 2 : 1;
  }
  return undefined;
}

const MAVEN_TEST_PHASES = new Set(['test', 'integration-test', 'verify', 'package', 'install', 'deploy', 'surefire:test']);

function mavenRunner(args: string[]): TestRunnerId | undefined {
  if (args.some((a) => /^-D(?:skipTests|maven\.test\.skip)(?:=true)?$/.test(a))) return undefined;
  return args.some((a) => MAVEN_TEST_PHASES.has(a)) ? 'maven' : undefined;
}

function gradleRunner(args: string[]): TestRunnerId | undefined {
  const excluded = new Set<string>();
  const tasks: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-x' || arg === '--exclude-task') excluded.add((args[++i] ?? '').split(':').pop() ?? '');
    else if (!arg.startsWith('-')) tasks.push(arg.split(':').pop() ?? arg);
  }
  const runsTests = tasks.some((task) => /^(?:test\w*|check|build)$/.test(task) && !excluded.has(task));
  return runsTests && !excluded.has('test') ? 'gradle' : undefined;
}

/** The runner a simple command starts, after its prefixes are gone. */
function commandRunner(words: Word[]): TestRunnerId | undefined {
  const [programWord, ...rest] = words;
  if (!programWord) return undefined;
  const program = programName(programWord.text);
  const args = rest.map((w) => w.text);
  switch (program) {
    case 'npm':
      return npmRunner(args);
    case 'npx':
    case 'bunx':
      return packageRunner(args);
    case 'yarn':
    case 'pnpm':
      return yarnOrPnpmRunner(program, args);
    case 'node': {
      // Options count only before the script: `node app.js --test` passes --test to app.js.
      const i = skipFlags(args, 0, [
        '-r',
        '--require',
        '--import',
        '--loader',
        '--experimental-loader',
        '--env-file',
        '-e',
        '--eval',
        '-p',
        '--print',
        '--test-reporter',
        '--test-reporter-destination',
        '--test-name-pattern',
        '--test-skip-pattern',
        '--test-concurrency',
      ]);
      if (args.slice(0, i).includes('--test')) return 'node-test';
      const script = args[i];
      return script === undefined ? undefined : directRunner(programName(script), args.slice(i + 1));
    }
    case 'go':
      return args[args[0] === '-C' ? 2 : 0] === 'test' ? 'go' : undefined; // `go -C dir test` (Go 1.20+)
    case 'cargo': {
      const i = args[0]?.startsWith('+') ? 1 : 0; // toolchain: `cargo +nightly test`
      const sub = args[i];
      if (sub === 'nextest') return args[i + 1] === 'run' ? 'cargo' : undefined;
      return (sub === 'test' || sub === 't') && !args.some((a) => INFO_FLAGS.has(a)) ? 'cargo' : undefined;
    }
    case 'mvn':
    case 'mvnw':
      return mavenRunner(args);
    case 'gradle':
    case 'gradlew':
      return gradleRunner(args);
    case 'dotnet':
      return args[0] === 'test' ? 'dotnet' : undefined;
    case 'uv':
    case 'poetry':
    case 'pipenv':
    case 'pdm':
    case 'hatch':
      return args[0] === 'run'
        ? commandRunner(rest.slice(skipFlags(args, 1, ['--with', '--python', '-p', '--env-file', '--group', '--extra', '--package', '-e', '--env'])))
        : undefined;
    case 'bash':
    case 'sh':
    case 'zsh':
    case 'dash': {
      const script = args[args.indexOf('-c') + 1];
      return args.includes('-c') && script !== undefined ? detectTestCommand(script)?.runner : undefined;
    }
    default:
      if (/^python(?:\d+(?:\.\d+)?)?$|^py$|^pypy\d*$/.test(program)) return pythonRunner(args);
      if (program === 'manage.py') return args[0] === 'test' ? 'unittest' : undefined; // `./manage.py test`
      return directRunner(program, args);
  }
}

/**
 * The test run a command line starts, if any: the first simple command of its `&&`/`||`/`;`/`|`
 * chain that runs a known test runner (`cd app && CI=1 npm test | tee log` → npm, `CI=1 npm test`).
 * Not test runs: package installs, `echo npm test`, `npm run testing` (only scripts named `test` or
 * `test:*` are tests), watchers that wrap a runner under another name (`pytest-watch`, `ptw`,
 * `nodemon`: their output repeats runs under a command that is not the runner's), task runners
 * (`make test`, `tox`: the runner is unknown), and runners asked only for their version, help or
 * test list. Counted though their output is not read: `cargo nextest run` (as cargo), gradle, dotnet.
 * Builds that run the tests on the way count too (`mvn install`, `gradle build`) unless told to skip them.
 */
export function detectTestCommand(commandLine: string): TestCommand | undefined {
  if (commandLine.length > 10_000) return undefined; // pasted scripts, not commands
  for (const words of simpleCommands(shellTokens(commandLine))) {
    const command = stripPrefixes(words);
    const runner = commandRunner(command);
    if (runner) {
      const first = words[0] as Word;
      const last = words[words.length - 1] as Word;
      return { runner, command: commandLine.slice(first.start, last.end) };
    }
  }
  return undefined;
}
