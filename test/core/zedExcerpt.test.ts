// Zed rows against Zed's own rules. The first two cases are the test in zed-industries/zed
// crates/zeta/src/input_excerpt.rs (commit 0d6926886567df0c1e4ef14cb919d3fa89957a12,
// `test_excerpt_for_cursor_position`): the same buffer, cursor, budgets and syntax scope its
// tree-sitter walk picks, and the expected prompt as Zed asserts it. The output rule is zeta.rs
// `parse_edits` (commit 0043a496327f6706c52491c38ff7396f5094b1b9): exactly one region start and
// end marker, at most one start-of-file marker, the new text between the start marker's line and
// "\n<|editable_region_end|>".
import { strict as assert } from 'node:assert';
import { zetaExcerpt, zetaExcerpts } from '../../src/core/export/zed';

const FILE = `fn foo() {
    let x = 42;
    println!("Hello, world!");
}

fn bar() {
    let x = 42;
    let mut sum = 0;
    for i in 0..x {
        sum += i;
    }
    println!("Sum: {}", sum);
    return sum;
}

fn generate_random_numbers() -> Vec<i32> {
    let mut rng = rand::thread_rng();
    let mut numbers = Vec::new();
    for _ in 0..5 {
        numbers.push(rng.gen_range(1..101));
    }
    numbers
}
`;

const lines = FILE.split('\n');
/** Zed's estimate: 3 bytes a token, rounded down. */
const tokens = (text: string) => Math.floor(Buffer.byteLength(text) / 3);

/** zeta.rs `parse_edits`: the editable region's new text, or the rule the output breaks. */
function parseOutput(output: string): string {
  const content = output.replaceAll('<|user_cursor_is_here|>', '');
  const count = (marker: string) => content.split(marker).length - 1;
  assert.equal(count('<|editable_region_start|>'), 1, 'exactly one start marker');
  assert.equal(count('<|editable_region_end|>'), 1, 'exactly one end marker');
  assert.ok(count('<|start_of_file|>') <= 1, 'at most one start-of-file marker');
  const fromStart = content.slice(content.indexOf('<|editable_region_start|>'));
  const body = fromStart.slice(fromStart.indexOf('\n') + 1);
  return body.slice(0, body.lastIndexOf('\n<|editable_region_end|>'));
}

describe('zed: excerpts as Zed builds them', () => {
  it('input_excerpt.rs case 1: the scope is `fn bar` (rows 5-13), budgets 50 and 32', () => {
    const scope = { startRow: 5, endRow: 13, tokens: tokens(lines.slice(5, 14).join('\n')) };
    const { prompt } = zetaExcerpt('main.rs', lines, { row: 12, col: 5 }, scope, 50, 32);
    assert.equal(
      prompt,
      `\`\`\`main.rs
    let x = 42;
    println!("Hello, world!");
<|editable_region_start|>
}

fn bar() {
    let x = 42;
    let mut sum = 0;
    for i in 0..x {
        sum += i;
    }
    println!("Sum: {}", sum);
    r<|user_cursor_is_here|>eturn sum;
}

fn generate_random_numbers() -> Vec<i32> {
<|editable_region_end|>
    let mut rng = rand::thread_rng();
    let mut numbers = Vec::new();
\`\`\``,
    );
  });

  it('input_excerpt.rs case 2: `fn bar` does not fit 40 tokens, so the scope is `return sum;` and lines grow', () => {
    const scope = { startRow: 12, endRow: 12, tokens: tokens('return sum;') };
    const { prompt } = zetaExcerpt('main.rs', lines, { row: 12, col: 5 }, scope, 40, 32);
    assert.equal(
      prompt,
      `\`\`\`main.rs
fn bar() {
    let x = 42;
    let mut sum = 0;
<|editable_region_start|>
    for i in 0..x {
        sum += i;
    }
    println!("Sum: {}", sum);
    r<|user_cursor_is_here|>eturn sum;
}

fn generate_random_numbers() -> Vec<i32> {
    let mut rng = rand::thread_rng();
<|editable_region_end|>
    let mut numbers = Vec::new();
    for _ in 0..5 {
        numbers.push(rng.gen_range(1..101));
\`\`\``,
    );
  });

  it('writes <|start_of_file|> exactly when the context reaches the first line', () => {
    const near = zetaExcerpts('src/main.rs', FILE, FILE.replace('let x = 42;', 'let x = 43;'), FILE.indexOf('42;') + 2)!;
    // The whole file fits the budgets: the region starts at line 0, right after the marker.
    assert.ok(near.input.startsWith('```src/main.rs\n<|start_of_file|>\n<|editable_region_start|>\nfn foo() {\n'), near.input);
    const long = 'x'.repeat(60);
    const big = `${Array.from({ length: 200 }, (_, i) => `${long} ${i}`).join('\n')}\n`;
    const far = zetaExcerpts('big.txt', big, big.replace(`${long} 150`, `${long} 15O`), big.indexOf(`${long} 150`) + long.length + 2)!;
    assert.ok(far.input.startsWith('```big.txt\n'), far.input.slice(0, 40));
    assert.doesNotMatch(far.input, /start_of_file/);
    assert.ok(far.input.endsWith('\n```'));
  });

  it('the output is what parse_edits reads back as the edit, applied to the input region', () => {
    const after = FILE.replace('    return sum;\n', '    let total = sum * 2;\n    return total;\n');
    const cursor = FILE.indexOf('return sum;');
    const { input, output } = zetaExcerpts('main.rs', FILE, after, cursor)!;
    assert.doesNotMatch(output, /user_cursor_is_here/);
    const oldRegion = parseOutput(input);
    const newRegion = parseOutput(output);
    assert.ok(FILE.includes(oldRegion) && after.includes(newRegion));
    assert.equal(FILE.replace(oldRegion, newRegion), after, 'replacing the region gives the text after the edit');
    // Outside the region, input and output are the same excerpt.
    const outside = (text: string) => [text.slice(0, text.indexOf('<|editable_region_start|>')), text.slice(text.indexOf('<|editable_region_end|>'))];
    assert.deepEqual(outside(output), outside(input.replace('<|user_cursor_is_here|>', '')));
  });

  it('an edit larger than the editable region gives no row; CRLF buffers are read as Zed reads them', () => {
    const huge = Array.from({ length: 400 }, (_, i) => `line ${i} with some words`).join('\n');
    assert.equal(zetaExcerpts('a.txt', huge, huge.replaceAll('words', 'WORDS'), 0), undefined);
    const crlf = FILE.replaceAll('\n', '\r\n');
    const a = zetaExcerpts('main.rs', crlf, crlf.replace('return sum;', 'return sum + 1;'), crlf.indexOf('return sum;') + 1)!;
    const b = zetaExcerpts('main.rs', FILE, FILE.replace('return sum;', 'return sum + 1;'), FILE.indexOf('return sum;') + 1)!;
    assert.deepEqual(a, b);
    assert.match(a.input, / {4}r<\|user_cursor_is_here\|>eturn sum;/);
  });
});
