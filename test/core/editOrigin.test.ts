import { strict as assert } from 'node:assert';
import { assistantsOf } from '../../src/core/capture/assistants';
import { DiskWriters } from '../../src/core/capture/diskWriters';
import { classifyWithEvidence, pasteCandidate, sameAsClipboard, type EditEvidence } from '../../src/core/capture/editOrigin';

const at = (text: string, length = 0, more: Partial<EditEvidence> = {}): EditEvidence => ({
  reason: undefined,
  changes: [{ length, text }],
  activeEditor: true,
  otherDocuments: false,
  atCursor: true,
  ...more,
});

describe('edit origin from evidence', () => {
  it('a keystroke is typing, whatever else is seen', () => {
    assert.deepEqual(classifyWithEvidence(at('a')), { origin: 'typing', confidence: 'high' });
    assert.equal(classifyWithEvidence(at('', 1)).origin, 'typing');
  });

  it('undo and redo come from VS Code and win over every other clue', () => {
    assert.equal(classifyWithEvidence(at('x'.repeat(40), 0, { reason: 1, clipboard: true, otherDocuments: true })).origin, 'undo');
    assert.equal(classifyWithEvidence(at('y', 0, { reason: 2 })).origin, 'redo');
  });

  it("the clipboard's text inserted at the cursor is a paste, short or long", () => {
    assert.deepEqual(classifyWithEvidence(at('total', 0, { clipboard: true })), { origin: 'paste', confidence: 'high' });
    assert.equal(classifyWithEvidence(at('const x = 1;\nconst y = 2;\n', 0, { clipboard: true })).origin, 'paste');
  });

  it('an insertion at the cursor that is not the clipboard is a completion: one word from the suggest widget, more from an inline suggestion', () => {
    assert.equal(classifyWithEvidence(at('computeTotal', 3, { clipboard: false })).origin, 'completion.word');
    assert.equal(classifyWithEvidence(at('console.log(', 0)).origin, 'completion.word');
    assert.equal(classifyWithEvidence(at('return values.map((v) => v * 2);', 0, { clipboard: false })).origin, 'completion.inline');
    assert.equal(classifyWithEvidence(at('if (x) {\n  y();\n}', 0, { clipboard: false })).origin, 'completion.inline');
  });

  it("changes to several documents at once, or to a document not in the active editor, are an agent's", () => {
    assert.deepEqual(classifyWithEvidence(at('helper();', 0, { otherDocuments: true })), { origin: 'agent', confidence: 'high' });
    assert.deepEqual(classifyWithEvidence(at('a', 0, { activeEditor: false })), { origin: 'agent', confidence: 'medium' });
    assert.equal(classifyWithEvidence(at('export const agentWrote = 1;\n', 0, { atCursor: false, clipboard: false })).origin, 'agent');
  });

  it("Enter with the indentation the editor adds is typing; other whitespace at the cursor is the editor's, not a completion", () => {
    assert.equal(classifyWithEvidence(at('\n    ', 0, { clipboard: false })).origin, 'typing');
    assert.equal(classifyWithEvidence(at('    ', 0, { clipboard: false })).origin, 'editor');
  });

  it('reads the clipboard only for insertions a keystroke cannot make, and compares line ends loosely', () => {
    assert.equal(pasteCandidate({ reason: undefined, changes: [{ length: 0, text: 'ab' }] }), undefined);
    assert.equal(pasteCandidate({ reason: 1, changes: [{ length: 0, text: 'abcdef' }] }), undefined);
    assert.equal(
      pasteCandidate({
        reason: undefined,
        changes: [
          { length: 0, text: 'abc' },
          { length: 0, text: 'abc' },
        ],
      }),
      'abc',
    );
    assert.equal(
      pasteCandidate({
        reason: undefined,
        changes: [
          { length: 0, text: 'abc' },
          { length: 0, text: 'abd' },
        ],
      }),
      undefined,
    );
    assert.ok(sameAsClipboard('a\nb', 'a\r\nb'));
    assert.ok(!sameAsClipboard('a\nb', 'a\nc'));
    assert.ok(!sameAsClipboard('', ''));
  });
});

describe('who wrote a change on disk', () => {
  it('names the latest-started terminal command running then, a moment after it ended, and otherwise another process', () => {
    const writers = new DiskWriters(1000);
    const build = {};
    const fmt = {};
    writers.start(build, { commandLine: () => 'npm run build', terminal: 't1', ts: 1000 });
    writers.start(fmt, { commandLine: () => 'prettier -w .', terminal: 't2', ts: 3000 });
    assert.deepEqual(writers.writerAt(-100), { kind: 'process' });
    assert.deepEqual(writers.writerAt(1500), { kind: 'terminal', terminal: 't1', commandLine: 'npm run build' });
    assert.deepEqual(writers.writerAt(3500), { kind: 'terminal', terminal: 't2', commandLine: 'prettier -w .' });
    writers.end(fmt, 4000);
    assert.equal(writers.writerAt(4900).commandLine, 'prettier -w .');
    assert.equal(writers.writerAt(5100).commandLine, 'npm run build');
    writers.end(build, 6000);
    assert.deepEqual(writers.writerAt(7100), { kind: 'process' });
    assert.equal(writers.writerAt(6900).commandLine, 'npm run build', 'a change reported late is judged by when it was made');
  });
});

describe('who wrote a change on disk, its command reported late', () => {
  it("counts a command the host heard of before the change from the end of the terminal's previous command, however late its start came", () => {
    const writers = new DiskWriters(1000);
    const ls = {};
    const gen = {};
    const other = {};
    writers.opened('t1', 500);
    writers.start(ls, { commandLine: () => 'ls', terminal: 't1', ts: 1000 });
    writers.end(ls, 1200);
    // A loaded window reported the start 4 s after the command wrote its file (at 5000).
    writers.start(gen, { commandLine: () => 'printf x > gen.txt', terminal: 't1', ts: 9000 });
    writers.end(gen, 9100);
    assert.deepEqual(writers.writerAt(5000), { kind: 'process' }, 'judged by the start alone, it began later');
    assert.equal(writers.writerAt(5000, 9500).commandLine, 'printf x > gen.txt', 'the host heard of the start before the change');
    assert.deepEqual(writers.writerAt(5000, 8900), { kind: 'process' }, 'nor when the change was heard of first');
    assert.equal(writers.writerAt(1100, 9500).commandLine, 'ls', 'a change made while the previous command ran is still its');
    assert.deepEqual(writers.writerAt(-100, 9500), { kind: 'process' }, 'nor before the terminal opened (and the start’s slack)');
    // A terminal that opened before recording began: its command counts from its start alone.
    writers.start(other, { commandLine: () => 'make', terminal: 't2', ts: 20_000 });
    assert.deepEqual(writers.writerAt(15_000, 21_000), { kind: 'process' });
    assert.equal(writers.writerAt(19_500, 21_000).commandLine, 'make');
  });
});

describe('who wrote a change on disk, reported before its command', () => {
  it('waits for the terminal to report the command that started before the change was made', async () => {
    const writers = new DiskWriters(1000);
    const run = {};
    const now = Date.now();
    const answer = writers.writerOf(now, 5000);
    writers.start(run, { commandLine: () => 'git checkout x', terminal: 't1', ts: now + 50 });
    assert.deepEqual(await answer, { kind: 'terminal', terminal: 't1', commandLine: 'git checkout x' });
    assert.deepEqual(await writers.writerOf(now - 10_000, 20), { kind: 'process' });
  });
});

describe('assistants present', () => {
  it('names extensions that provide completions, chat or agents, by id and version, from their manifests alone', () => {
    const found = assistantsOf([
      { id: 'GitHub.copilot', isActive: true, packageJSON: { version: '1.300.0' } },
      { id: 'someone.chatty', isActive: false, packageJSON: { version: '0.1.0', contributes: { chatParticipants: [{ id: 'chatty' }] } } },
      { id: 'someone.tools', isActive: true, packageJSON: { version: '2.0.0', contributes: { languageModelTools: [{ name: 't' }] } } },
      { id: 'someone.ghost', isActive: true, packageJSON: { version: '3.0.0', enabledApiProposals: ['inlineCompletionsAdditions'] } },
      { id: 'vscode.git', isActive: true, packageJSON: { version: '1.0.0', contributes: { commands: [{ command: 'git.commit' }] } } },
    ]);
    assert.deepEqual(found, [
      { id: 'GitHub.copilot', version: '1.300.0', active: true, provides: ['completions'] },
      { id: 'someone.chatty', version: '0.1.0', active: false, provides: ['chat'] },
      { id: 'someone.ghost', version: '3.0.0', active: true, provides: ['completions'] },
      { id: 'someone.tools', version: '2.0.0', active: true, provides: ['agent'] },
    ]);
  });
});
