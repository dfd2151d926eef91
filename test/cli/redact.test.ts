// `codetrail redact` changes only the redacted spans, and a reader that goes away ends it quietly.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { CLI, codetrail } from '../helpers/cli';

const TOKEN = ['ghp', '_', 'R8x2LmQ9vT4kW7pZ3nB6yH1cJ5dF0sAeGu2i'].join('');

describe('codetrail redact keeps bytes', function () {
  this.timeout(30_000);

  it('keeps CRLF, blank lines and a missing final newline byte for byte', async () => {
    const input = `first line\r\n\r\ntoken ${TOKEN}\r\n\n  \nlast without newline`;
    const { code, stdout } = await codetrail(['redact', '--salt', 's'], { input });
    assert.equal(code, 0);
    const [before, after] = input.split(TOKEN);
    assert.ok(stdout.startsWith(before!) && stdout.endsWith(after!), JSON.stringify(stdout));
    assert.doesNotMatch(stdout, new RegExp(TOKEN));
    assert.match(stdout.slice(before!.length, stdout.length - after!.length), /^«secret:[^»]+»$/);
  });

  it('--jsonl keeps each line ending and the blank lines between objects', async () => {
    const input = `{"text":"a ${TOKEN}"}\r\n\n{"text":"plain"}`;
    const { code, stdout } = await codetrail(['redact', '--jsonl', '--salt', 's'], { input });
    assert.equal(code, 0);
    const parts = stdout.split(/(\r?\n)/);
    assert.deepEqual([parts[1], parts[2], parts[3]], ['\r\n', '', '\n']);
    assert.equal(JSON.parse(parts[4]!).text, 'plain');
    assert.ok(!stdout.endsWith('\n'), 'no final newline added');
  });

  it('ends quietly (exit 0, nothing on stderr) when the reader closes the pipe, as `| head` does', async () => {
    const child = spawn(process.execPath, [CLI, 'redact'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end('ordinary line of text\n'.repeat(400_000));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
