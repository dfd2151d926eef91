// Terminal output as a person saw it: escape sequences removed, and the cursor moves that progress
// displays use (carriage return, cursor up, erase line) applied, so a line shows its final state.
// A strip-only regex (strip-ansi) cannot do the second part: jest and vitest redraw their status
// lines with ESC[1A and ESC[K, and removing those codes would leave every redraw in the text.

const ESC = '\x1b';
const BEL = '\x07';
const C1_CSI = '\x9b';
const C1_OSC = '\x9d';
const C1_ST = '\x9c';

/** Columns or rows a single cursor move may travel; bounds the work a hostile sequence can cause. */
const MAX_MOVE = 1000;

/** The next character that is not plain text: C0 controls (except tab), DEL and C1 controls. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;

class Screen {
  private readonly lines: string[] = [''];
  private row = 0;
  private col = 0;
  private saved: [number, number] = [0, 0];

  write(run: string): void {
    const line = this.lines[this.row] ?? '';
    if (this.col === line.length) {
      // Appending, the common case: no slicing, so a long line of short coloured runs stays linear.
      this.lines[this.row] = line + run;
      this.col += run.length;
      return;
    }
    const head = line.length >= this.col ? line.slice(0, this.col) : line.padEnd(this.col, ' ');
    this.lines[this.row] = head + run + line.slice(this.col + run.length);
    this.col += run.length;
  }

  newline(): void {
    // Bare LF also returns to column 0: logs written through pipes have no CR before it.
    this.row += 1;
    this.col = 0;
    if (this.row === this.lines.length) this.lines.push('');
  }

  carriageReturn(): void {
    this.col = 0;
  }

  backspace(): void {
    this.col = Math.max(0, this.col - 1);
  }

  up(n: number): void {
    this.row = Math.max(0, this.row - n);
  }

  /** Like a terminal at its bottom margin, moving down never creates lines. */
  down(n: number): void {
    this.row = Math.min(this.lines.length - 1, this.row + n);
  }

  column(n: number): void {
    this.col = Math.max(0, Math.min(MAX_MOVE, n));
  }

  right(n: number): void {
    this.column(this.col + n);
  }

  eraseInLine(mode: number): void {
    const line = this.lines[this.row] ?? '';
    if (mode === 0) this.lines[this.row] = line.slice(0, this.col);
    else if (mode === 1) this.lines[this.row] = ' '.repeat(Math.min(this.col + 1, line.length)) + line.slice(this.col + 1);
    else if (mode === 2) this.lines[this.row] = '';
  }

  /** Only "erase below" is applied: clearing the whole screen would also throw away the record. */
  eraseBelow(): void {
    this.eraseInLine(0);
    this.lines.length = this.row + 1;
  }

  save(): void {
    this.saved = [this.row, this.col];
  }

  restore(): void {
    this.row = Math.min(this.saved[0], this.lines.length - 1);
    this.col = this.saved[1];
  }

  text(): string {
    return this.lines.map(trimTrailingBlanks).join('\n');
  }
}

/** Without trailing spaces and tabs; a loop rather than a regex, which is quadratic on long runs of blanks. */
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Applies one CSI sequence; `params` is what stands between `ESC [` and the final byte. */
function applyCsi(screen: Screen, params: string, final: string): void {
  if (!/^[\d;]*$/.test(params)) return; // private modes (`?25l`) and the like change nothing visible
  const first = params.split(';')[0] ?? '';
  const n = first === '' ? 1 : Math.min(MAX_MOVE, Number(first));
  const mode = first === '' ? 0 : Number(first);
  switch (final) {
    case 'A':
      return screen.up(n);
    case 'B':
      return screen.down(n);
    case 'C':
      return screen.right(n);
    case 'D':
      return screen.right(-n);
    case 'E':
      screen.down(n);
      return screen.carriageReturn();
    case 'F':
      screen.up(n);
      return screen.carriageReturn();
    case 'G':
      return screen.column(n - 1);
    case 'K':
      return screen.eraseInLine(mode);
    case 'J':
      if (mode === 0) screen.eraseBelow();
      return;
    case 's':
      return screen.save();
    case 'u':
      return screen.restore();
    default:
      return; // colours (m), absolute positions (H: the screen's top is unknown here), ...
  }
}

/** Index just past the string terminator (BEL for OSC only, ESC \, or C1 ST) at or after `from`. */
function endOfControlString(text: string, from: number, allowBel: boolean): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === BEL && allowBel) return i + 1;
    if (ch === C1_ST) return i + 1;
    if (ch === ESC) return text[i + 1] === '\\' ? i + 2 : i; // any other ESC aborts the string, as in terminals
    if (ch === '\x18' || ch === '\x1a') return i + 1; // CAN and SUB cancel it
  }
  return text.length; // unterminated (the output was cut): drop the rest rather than show a payload
}

/**
 * Parses an escape sequence starting at `start` (an ESC or a C1 introducer), applies it, and
 * returns the index just past it.
 */
function applyEscape(screen: Screen, text: string, start: number): number {
  let i = start;
  let kind = text[i];
  if (kind === ESC) {
    i += 1;
    const next = text[i];
    if (next === undefined) return i;
    if (next === '[') kind = C1_CSI;
    else if (next === ']') kind = C1_OSC;
    else if (next === 'P' || next === 'X' || next === '^' || next === '_') return endOfControlString(text, i + 1, false);
    else if (next === '7' || next === '8' || next === 'M' || next === 'D' || next === 'E') {
      if (next === '7') screen.save();
      else if (next === '8') screen.restore();
      else if (next === 'M')
        screen.up(1); // reverse index
      else screen.newline(); // index, next line
      return i + 1;
    } else {
      // ESC, intermediate bytes (0x20–0x2f), one final byte: charset selection (`ESC ( B`), keypad modes, ...
      while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
      return i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x7e ? i + 1 : i;
    }
  }
  if (kind === C1_OSC) return endOfControlString(text, i + 1, true); // hyperlinks, titles, shell integration (633, 133)
  if (kind === '\x90' || kind === '\x98' || kind === '\x9e' || kind === '\x9f') return endOfControlString(text, i + 1, false);
  if (kind === C1_CSI) {
    let j = i + 1;
    while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
    const params = text.slice(i + 1, j);
    while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
    const final = text[j];
    if (final === undefined) return j;
    const code = final.charCodeAt(0);
    if (code < 0x40 || code > 0x7e) return j; // malformed: drop the introducer, keep what follows
    applyCsi(screen, params, final);
    return j + 1;
  }
  return i + 1; // another C1 control: nothing to show
}

/**
 * Removes ANSI/VT escape sequences (CSI incl. colours, OSC incl. VS Code shell integration 633/133
 * and hyperlinks, DCS/APC/PM/SOS strings, charset and mode escapes, C1 forms) and applies carriage
 * returns, backspaces and relative cursor moves, so each line reads as it finally stood on screen.
 * Lines are joined with `\n` and lose trailing spaces.
 */
export function stripTerminalSequences(text: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) return text.split('\n').map(trimTrailingBlanks).join('\n'); // plain text
  const screen = new Screen();
  let i = 0;
  while (i < text.length) {
    CONTROL.lastIndex = i;
    const match = CONTROL.exec(text);
    const at = match ? match.index : text.length;
    if (at > i) screen.write(text.slice(i, at));
    if (!match) break;
    const ch = text[at];
    if (ch === '\n' || ch === '\x0b' || ch === '\x0c') {
      screen.newline();
      i = at + 1;
    } else if (ch === '\r') {
      screen.carriageReturn();
      i = at + 1;
    } else if (ch === '\b') {
      screen.backspace();
      i = at + 1;
    } else if (ch === ESC || (ch !== undefined && ch >= '\x80' && ch <= '\x9f')) {
      i = applyEscape(screen, text, at);
    } else {
      i = at + 1; // BEL, NUL, other C0 controls, DEL: nothing visible
    }
  }
  return screen.text();
}

export interface Excerpt {
  text: string;
  truncated: boolean;
  /** UTF-8 size of the whole text. */
  totalBytes: number;
}

/** Share of the budget given to the head; the tail gets the rest, as summaries come last. */
const HEAD_SHARE = 1 / 3;

/**
 * At most `maxBytes` of UTF-8 from `text`: all of it if it fits, otherwise its head and its tail
 * with `\n… [N bytes omitted] …\n` between, cut at line ends where one is near and never inside a
 * character.
 */
export function excerpt(text: string, maxBytes: number): Excerpt {
  const bytes = Buffer.from(text, 'utf8');
  const totalBytes = bytes.length;
  if (totalBytes <= maxBytes) return { text, truncated: false, totalBytes };

  // The marker's size depends on N; size it for the largest N possible so the result always fits.
  const markerBudget = Buffer.byteLength(marker(totalBytes));
  const budget = Math.max(0, Math.floor(maxBytes) - markerBudget);
  if (budget === 0) return { text: bytes.subarray(0, charStart(bytes, Math.max(0, Math.floor(maxBytes)))).toString('utf8'), truncated: true, totalBytes };

  const headWindow = Math.floor(budget * HEAD_SHARE);
  let headEnd = charStart(bytes, headWindow);
  const lastNewline = headEnd > 0 ? bytes.lastIndexOf(0x0a, headEnd - 1) : -1;
  if (lastNewline >= headWindow / 2) headEnd = lastNewline + 1;

  const tailWindowStart = totalBytes - (budget - headWindow);
  let tailStart = charStart(bytes, tailWindowStart, true);
  const firstNewline = bytes.indexOf(0x0a, tailStart);
  if (firstNewline !== -1 && firstNewline + 1 - tailWindowStart <= (totalBytes - tailWindowStart) / 2) tailStart = firstNewline + 1;

  const head = bytes.subarray(0, headEnd).toString('utf8');
  const tail = bytes.subarray(tailStart).toString('utf8');
  return { text: head + marker(tailStart - headEnd) + tail, truncated: true, totalBytes };
}

function marker(omittedBytes: number): string {
  return `\n… [${omittedBytes} bytes omitted] …\n`;
}

/** Moves `index` off UTF-8 continuation bytes: back to its character's start, or forward past it. */
function charStart(bytes: Buffer, index: number, forward = false): number {
  let i = Math.min(index, bytes.length);
  while (i > 0 && i < bytes.length && ((bytes[i] ?? 0) & 0xc0) === 0x80) i += forward ? 1 : -1;
  return i;
}
