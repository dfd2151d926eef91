// Who wrote each edit, against known truth, in the real host: a scripted mix of typing, pastes,
// suggest-widget acceptances, inline suggestions accepted, multi-file workspace edits (an agent
// stand-in) and files written by terminal commands and by another process. Every change event
// the script causes is labelled with what caused it; each is then looked up in the store (the
// edit record covering its document version, or the disk record of its file) and the recorded
// origin compared. Per-class precision and recall must be at least 95%.
import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { AUTHORS, AuthorshipTracker, type Author } from '../../../src/core/replay/authorship';
import { replayTask } from '../../../src/core/replay/pass';
import type { EventRecord } from '../../../src/core/schema/events';
import { activeExtension, fixtures, flush, nextEvent, runInTerminal, storeRecords, typeText, untilFile } from '../helpers';

const { repo, store, gitHold, gitAsked } = fixtures<{ repo: string; gitHold: string; gitAsked: string }>();
const ROUNDS = Number(process.env.CODETRAIL_ORIGIN_ROUNDS) || 40;

type Truth = 'typing' | 'paste' | 'completion.word' | 'completion.inline' | 'agent' | 'external.terminal' | 'external.process';
const CLASSES: Truth[] = ['typing', 'paste', 'completion.word', 'completion.inline', 'agent', 'external.terminal', 'external.process'];

/** Every change event the script caused: which document version, and what truly made it. */
const changes: { file: string; version: number; truth: Truth }[] = [];
/** Files written outside the editor: by whom. */
const diskWrites: { file: string; truth: Truth; command?: string }[] = [];
let current: Truth | undefined;
/** Per character of each file the script edits in the editor, who truly wrote it ('base': there before). */
const authors = new Map<string, (Author | 'base')[]>();
const AUTHOR_OF: Record<Truth, Author> = {
  typing: 'typed',
  paste: 'pasted',
  'completion.word': 'completed',
  'completion.inline': 'completed',
  agent: 'agent',
  'external.terminal': 'tool',
  'external.process': 'tool',
};

/** Fails saying what it waited for if `promise` has not settled after `ms` (a hang's diagnosis, not a pause). */
async function within<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A small deterministic generator: the same mix every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Repeats `act` until the document changes: the suggest widget and ghost text show a moment after they are asked for. */
async function untilChanged(doc: vscode.TextDocument, what: string, act: (attempt: number) => Thenable<unknown>): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    let sub: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const changed = new Promise<boolean>((resolve) => {
      sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === doc && e.contentChanges.length > 0 && resolve(true));
      timer = setTimeout(() => resolve(false), 250 + attempt * 50);
    });
    await act(attempt);
    const ok = await changed;
    sub?.dispose();
    clearTimeout(timer);
    if (ok) return;
  }
  throw new Error(`${what}: the document never changed`);
}

describe('who wrote each edit', function () {
  this.timeout(540_000);
  let terminal: vscode.Terminal;
  let editor: vscode.TextEditor;
  let doc: vscode.TextDocument;
  const inline: { next?: string } = {};
  const disposables: vscode.Disposable[] = [];

  before(async () => {
    await activeExtension();
    const accepted = (await vscode.commands.executeCommand('codetrail.giveConsent', { accept: true })) as string[];
    assert.deepEqual(accepted, [repo]);
    terminal = vscode.window.createTerminal({ name: 'origin', cwd: repo });
    // The suggest widget's item: a long identifier completing what was typed.
    disposables.push(
      vscode.languages.registerCompletionItemProvider(
        { pattern: '**/main.js' },
        {
          provideCompletionItems(d, position) {
            const range = d.getWordRangeAtPosition(position) ?? new vscode.Range(position, position);
            const prefix = d.getText(range);
            const item = new vscode.CompletionItem(`${prefix}CompletedIdentifier${position.line}`, vscode.CompletionItemKind.Variable);
            item.range = range;
            return [item];
          },
        },
      ),
      // The inline engine: offers what the script asks for, once.
      vscode.languages.registerInlineCompletionItemProvider(
        { pattern: '**/main.js' },
        {
          provideInlineCompletionItems(_d, position) {
            const text = inline.next;
            return text ? [new vscode.InlineCompletionItem(text, new vscode.Range(position, position))] : [];
          },
        },
      ),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file' || !current) return;
        const file = relative(repo, e.document.uri.fsPath);
        changes.push({ file, version: e.document.version, truth: current });
        const marks = authors.get(file);
        if (marks)
          for (const c of e.contentChanges) marks.splice(c.rangeOffset, c.rangeLength, ...Array.from({ length: c.text.length }, () => AUTHOR_OF[current!]));
      }),
    );
  });

  after(() => {
    watcher.dispose();
    terminal?.dispose();
    for (const d of disposables) d.dispose();
  });

  it('plays the mix', async () => {
    await vscode.commands.executeCommand('codetrail.startTask', { title: 'Origins', description: 'a scripted mix with known authors' });
    for (const file of ['src/main.js', 'src/agentA.js', 'src/agentB.js'])
      authors.set(
        file,
        Array.from((await vscode.workspace.fs.readFile(vscode.Uri.file(join(repo, file)))).toString(), () => 'base'),
      );
    // Files written by a process that is not a terminal command, before any command runs.
    mkdirSync(join(repo, 'gen'), { recursive: true });
    await watching();
    const written = watcher.reported(Array.from({ length: 5 }, (_, i) => `gen/proc-${i}.txt`));
    for (let i = 0; i < 5; i++) {
      const file = `gen/proc-${i}.txt`;
      writeFileSync(join(repo, file), `written by another process ${i}\n`);
      diskWrites.push({ file, truth: 'external.process' });
    }
    await within(written, 'the watcher reporting the files another process wrote');
    await recorded(diskWrites.map((w) => w.file));

    doc = await vscode.workspace.openTextDocument(join(repo, 'src/main.js'));
    editor = await vscode.window.showTextDocument(doc);
    const toEnd = () => {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(end, end);
    };
    const random = prng(14);
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 10 === 0) console.log(`[origin] round ${round}`);
      toEnd();
      current = 'typing';
      await typeText(editor, `v${round};\n`);

      // A paste: an identifier or some lines, through the clipboard as Ctrl+V.
      toEnd();
      const pasted = random() < 0.5 ? `pastedName${round}` : `const copied${round} = [\n  ${round},\n];\n`;
      await vscode.env.clipboard.writeText(pasted);
      current = 'paste';
      await untilChanged(doc, 'paste', () => vscode.commands.executeCommand('editor.action.clipboardPasteAction'));

      // The suggest widget completes a typed prefix.
      toEnd();
      current = 'typing';
      await typeText(editor, 'ab');
      current = 'completion.word';
      await untilChanged(doc, `suggest widget (round ${round})`, async (attempt) => {
        // Asked again now and then: the widget may have closed before it could be accepted.
        if (attempt % 4 === 0) await vscode.commands.executeCommand('editor.action.triggerSuggest');
        else await vscode.commands.executeCommand('acceptSelectedSuggestion');
      });

      // An inline suggestion accepted.
      current = 'typing';
      await typeText(editor, '\n');
      toEnd();
      inline.next = random() < 0.5 ? `const total${round} = items.reduce((a, b) => a + b, 0);` : `function helper${round}(x) {\n  return x * ${round};\n}`;
      current = 'completion.inline';
      await untilChanged(doc, `inline suggestion (round ${round})`, async (attempt) => {
        if (attempt % 4 === 0) await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        else await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      });
      inline.next = undefined;
      current = 'typing';
      await typeText(editor, '\n');

      // The agent stand-in: one workspace edit across files, now and then the open one too (away from the cursor).
      current = 'agent';
      const edit = new vscode.WorkspaceEdit();
      for (const name of ['src/agentA.js', 'src/agentB.js'])
        edit.insert(vscode.Uri.file(join(repo, name)), new vscode.Position(0, 0), `// agent edit ${round}\nexport const a${round} = ${round};\n`);
      if (round % 3 === 0) edit.insert(doc.uri, new vscode.Position(0, 0), `// agent note ${round}\n`);
      // The documents it opened are saved and closed by the editor once it is applied (files.refactoring.autoSave), a moment after.
      const saved = Promise.all(
        ['agentA.js', 'agentB.js'].map((name) => nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d.uri.fsPath.endsWith(name))),
      );
      assert.ok(await vscode.workspace.applyEdit(edit));
      await within(saved, `the agent's files saved (round ${round})`);
      current = undefined;

      // A terminal command writes a file.
      if (round % 2 === 0) {
        const file = `gen/term-${round}.txt`;
        const command = `printf 'made by a command ${round}\\n' > ${file}`;
        const reported = watcher.reported([file]);
        assert.equal(await runInTerminal(terminal, command), 0);
        await within(reported, `the watcher reporting ${file}`);
        diskWrites.push({ file, truth: 'external.terminal', command });
      }
    }
    await recorded(diskWrites.map((w) => w.file));
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    assert.equal(await runInTerminal(terminal, 'git add -A && git commit -q -m mix'), 0);
    // The flush reads the reflog the commit wrote.
    await flush();
    assert.ok(
      (await storeRecords(store)).some((r) => r.kind === 'git.commit'),
      'the commit is recorded',
    );
    await vscode.commands.executeCommand('codetrail.endTask', { outcome: 'solved', note: '' });
    await flush();
  });

  it('each class is told apart with precision and recall of at least 95%', async () => {
    const records = await storeRecords(store);
    const edits = records.filter((r) => r.kind === 'edit');
    const predicted = (file: string, version: number): string => {
      const e = edits.find((r) => r.data.file === file && r.data.fromVersion < version && version <= r.data.version);
      return e ? String(e.origin) : 'missing';
    };
    const pairs: [Truth, string][] = changes.map((c) => [c.truth, predicted(c.file, c.version)]);
    for (const w of diskWrites) {
      const r = records.find((x) => (x.kind === 'file.snapshot' || x.kind === 'file.external') && x.origin === 'external' && x.data.file === w.file);
      const writer = r?.data.writer;
      const got = !r
        ? 'missing'
        : writer?.kind === 'process'
          ? 'external.process'
          : writer?.kind === 'terminal' && w.command && String(writer.commandLine ?? '').includes(w.file)
            ? 'external.terminal'
            : `external(${JSON.stringify(writer)})`;
      pairs.push([w.truth, got]);
    }
    const table = CLASSES.map((c) => {
      const tp = pairs.filter(([t, p]) => t === c && p === c).length;
      const truthN = pairs.filter(([t]) => t === c).length;
      const predN = pairs.filter(([, p]) => p === c).length;
      return { class: c, truth: truthN, predicted: predN, correct: tp, precision: predN ? tp / predN : 1, recall: truthN ? tp / truthN : 1 };
    });
    console.log(`[origin] ${pairs.length} labelled changes`);
    for (const row of table)
      console.log(
        `[origin] ${row.class.padEnd(18)} truth ${String(row.truth).padStart(4)}  predicted ${String(row.predicted).padStart(4)}  precision ${(row.precision * 100).toFixed(1)}%  recall ${(row.recall * 100).toFixed(1)}%`,
      );
    const confusions = new Map<string, number>();
    for (const [t, p] of pairs) if (t !== p) confusions.set(`${t} → ${p}`, (confusions.get(`${t} → ${p}`) ?? 0) + 1);
    for (const [k, n] of confusions) console.log(`[origin] confused ${k}: ${n}`);
    // A change on disk given the wrong writer: when the host heard of it and of the command (for the failure's diagnosis).
    for (const w of diskWrites) {
      const r = records.find((x) => (x.kind === 'file.snapshot' || x.kind === 'file.external') && x.origin === 'external' && x.data.file === w.file);
      const command = records.find((x) => x.kind === 'terminal.command' && String(x.data.commandLine).includes(w.file));
      if (r && w.command && r.data.writer?.kind !== 'terminal')
        console.log(
          `[origin] ${w.file}: recorded at ${r.ts} with writer ${JSON.stringify(r.data.writer)}; its command reported ${command?.data.startTs}-${command?.data.endTs}`,
        );
    }
    // Files only the editor wrote: its own saves, however they race the file watcher, are no process's change on disk.
    const editorOnly = new Set(authors.keys());
    const misread = records.filter((r) => r.origin === 'external' && editorOnly.has(r.data?.file));
    console.log(`[origin] editor saves recorded as changes on disk: ${misread.length}`);
    // What led to each: the file's records around it (kind, version, origin), for the failure message.
    for (const r of misread) {
      const around = records.filter((x) => x.data?.file === r.data.file);
      const at = around.indexOf(r);
      console.log(
        `[origin] around ${r.id}: ${around
          .slice(Math.max(0, at - 8), at + 4)
          .map((x) => `${x === r ? '>>' : ''}${x.kind}${x.data.version === undefined ? '' : ` v${x.data.version}`} ${x.origin}`)
          .join(' | ')}`,
      );
      console.log(`[origin] ${r.id}: ${JSON.stringify(r.data).slice(0, 600)}`);
    }
    assert.deepEqual(
      misread.map((r) => `${r.kind} ${r.data.file}`),
      [],
    );
    assert.ok(pairs.length >= 500, `at least 500 labelled changes (${pairs.length})`);
    for (const row of table) {
      assert.ok(row.truth > 0, `${row.class} was exercised`);
      assert.ok(row.precision >= 0.95 && row.recall >= 0.95, `${row.class}: precision ${row.precision.toFixed(3)}, recall ${row.recall.toFixed(3)}`);
    }
  });
});

describe('authorship at commit', () => {
  it("gives each author's share of the added lines within 2 points of the truth", async () => {
    const records = (await storeRecords(store)) as unknown as EventRecord[];
    const task = records.find((r) => r.kind === 'task.start')!.task;
    const tracker = new AuthorshipTracker();
    const replayer = await replayTask(
      records.filter((r) => r.task === task),
      [tracker],
    );
    assert.equal(replayer.divergence, undefined, JSON.stringify(replayer.divergence));
    const commit = tracker.commits.at(-1);
    assert.ok(
      commit,
      `authorship of the commit (git records: ${JSON.stringify(records.filter((r) => r.kind.startsWith('git.') || r.kind.startsWith('task.')).map((r) => [r.kind, r.task, r.id]))}, task ${task})`,
    );
    // The truth: each line the commit added goes to who wrote most of its non-blank characters.
    const truth = Object.fromEntries(AUTHORS.map((a) => [a, 0])) as Record<Author, number>;
    for (const [file, marks] of authors) {
      const text = (await vscode.workspace.fs.readFile(vscode.Uri.file(join(repo, file)))).toString();
      assert.equal(marks.length, text.length, `${file}: the truth kept up with the document`);
      let start = 0;
      for (const line of text.split(/(?<=\n)/)) {
        const mine = marks.slice(start, start + line.length);
        start += line.length;
        if (mine.every((m) => m === 'base')) continue;
        const tally = new Map<string, number>();
        [...line].forEach(
          (ch, i) => /\s/.test(ch) || tally.set(mine[i] === 'base' ? 'typed' : mine[i]!, (tally.get(mine[i] === 'base' ? 'typed' : mine[i]!) ?? 0) + 1),
        );
        const top = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'typed';
        truth[top as Author] += 1;
      }
    }
    const written = ['gen/probe.txt', ...diskWrites.map((w) => w.file)];
    truth.tool += written.length; // one line each
    const total = AUTHORS.reduce((n, a) => n + truth[a], 0);
    console.log(`[origin] commit ${commit!.sha.slice(0, 10)}: ${commit!.added} added lines (truth ${total})`);
    for (const a of AUTHORS) {
      const got = commit!.added ? commit!.counts[a] / commit!.added : 0;
      const want = total ? truth[a] / total : 0;
      console.log(`[origin] ${a.padEnd(10)} recorded ${(got * 100).toFixed(1)}%  truth ${(want * 100).toFixed(1)}%`);
      assert.ok(Math.abs(got - want) <= 0.02, `${a}: ${(got * 100).toFixed(1)}% recorded, ${(want * 100).toFixed(1)}% true`);
    }
  });
});

/**
 * The host's file watcher over gen/: the extension's watcher is served by the same events, so once
 * this one has reported a change the extension has seen it too, and a flush waits for its reading.
 */
class GenWatcher {
  private readonly seen = new Set<string>();
  private readonly waiting = new Set<() => void>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(repo), 'gen/**'));
  private readonly subs = [this.watcher.onDidCreate((u) => this.saw(u)), this.watcher.onDidChange((u) => this.saw(u))];

  private saw(uri: vscode.Uri): void {
    this.seen.add(relative(repo, uri.fsPath));
    for (const wake of [...this.waiting]) wake();
  }

  /** Resolves once each of these files has been reported (call it before writing them). */
  reported(files: string[]): Promise<void> {
    for (const f of files) this.seen.delete(f);
    return new Promise((resolve) => {
      const wake = () => {
        if (!files.every((f) => this.seen.has(f))) return;
        this.waiting.delete(wake);
        resolve();
      };
      this.waiting.add(wake);
    });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.watcher.dispose();
  }
}

let watcher: GenWatcher;

/**
 * Resolves once the host's file watcher is live: a probe file is rewritten until a change to it is
 * reported (a watcher misses what was written before it started; nothing else says it has).
 */
async function watching(): Promise<void> {
  watcher = new GenWatcher();
  for (let attempt = 0; attempt < 60; attempt++) {
    const reported = watcher.reported(['gen/probe.txt']);
    writeFileSync(join(repo, 'gen/probe.txt'), `probe ${attempt}\n`);
    let timer: NodeJS.Timeout | undefined;
    const ok = await Promise.race([reported.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 500)))]);
    clearTimeout(timer);
    if (ok) return recorded(['gen/probe.txt']);
  }
  throw new Error('the file watcher never reported gen/probe.txt');
}

/** Flushes, and checks the store holds a disk record of each file the watcher reported. */
async function recorded(files: string[]): Promise<void> {
  await flush();
  const records = await storeRecords(store);
  const seen = new Set(records.filter((r) => r.kind === 'file.snapshot' || r.kind === 'file.external').map((r) => r.data.file));
  assert.deepEqual(
    files.filter((f) => !seen.has(f)),
    [],
    'each change on disk the watcher reported is recorded once the flush returns',
  );
}

describe('a document closed while its change is held', () => {
  it('records the change, then the save and the close', async () => {
    const file = 'src/closing.js';
    // git's answer on whether the file is ignored is held back (scenarios.mjs puts a git on PATH
    // that waits while gitHold exists): the change waits for it, and the editor saves and closes
    // the document the workspace edit opened meanwhile.
    writeFileSync(gitHold, '');
    try {
      writeFileSync(join(repo, file), 'const kept = 1;\n');
      const uri = vscode.Uri.file(join(repo, file));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), 'const inserted = 2;\n');
      const closed = nextEvent(vscode.workspace.onDidCloseTextDocument, (d) => d.uri.fsPath === uri.fsPath);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await within(closed, `${file} closed`);
      await untilFile(gitAsked, 'git check-ignore to be asked about the file', (t) => t.includes(file));
    } finally {
      rmSync(gitHold, { force: true });
    }
    await flush();
    const mine = (await storeRecords(store)).filter((r) => r.data?.file === file && ['edit', 'file.save', 'file.close'].includes(r.kind));
    const kinds = mine.map((r) => (r.kind === 'edit' ? `edit ${r.origin} ${JSON.stringify(r.data.changes.map((c: { text?: string }) => c.text))}` : r.kind));
    assert.deepEqual(kinds, ['edit agent ["const inserted = 2;\\n"]', 'file.save', 'file.close']);
  });
});

describe('a document saved while its change is held', () => {
  it('records the change, the save, then the change made after the save: replay finds the saved version', async () => {
    const file = 'src/saving.js';
    writeFileSync(join(repo, file), 'const kept = 1;\n');
    const uri = vscode.Uri.file(join(repo, file));
    const insert = async (text: string) => {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(uri, new vscode.Position(0, 0), text);
      assert.ok(await vscode.workspace.applyEdit(edit));
    };
    // git's answer is held back, as above: every change and the save wait in the document's queue,
    // and a change made after the save joins it too.
    writeFileSync(gitHold, '');
    let savedVersion: number;
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      await insert('const before = 2;\n');
      savedVersion = doc.version;
      assert.ok(await doc.save(), `${file} saved`);
      await insert('const after = 3;\n');
      await untilFile(gitAsked, 'git check-ignore to be asked about the file', (t) => t.includes(file));
    } finally {
      rmSync(gitHold, { force: true });
    }
    await flush();
    const mine = (await storeRecords(store)).filter((r) => r.data?.file === file && ['edit', 'file.save'].includes(r.kind));
    const edits = mine.filter((r) => r.kind === 'edit');
    assert.deepEqual(
      edits.map((r) => r.data.changes.map((c: { text?: string }) => c.text)),
      [['const before = 2;\n'], ['const after = 3;\n']],
    );
    assert.ok(
      mine.some((r) => r.kind === 'file.save' && r.data.version === savedVersion),
      `a save of version ${savedVersion} is recorded: ${JSON.stringify(mine.map((r) => [r.kind, r.data.version]))}`,
    );
    // Each save (VS Code may also save a file a workspace edit changed) sits after the edits it
    // holds and before the ones made after it: replay checks the saved version against its own.
    const order = JSON.stringify(mine.map((r) => [r.kind, r.data.fromVersion, r.data.version]));
    for (const [i, save] of mine.entries()) {
      if (save.kind !== 'file.save') continue;
      for (const e of mine.slice(0, i))
        if (e.kind === 'edit') assert.ok(e.data.version <= save.data.version, `an edit made after save v${save.data.version} is recorded before it: ${order}`);
      for (const e of mine.slice(i + 1))
        if (e.kind === 'edit')
          assert.ok(e.data.fromVersion >= save.data.version, `an edit made before save v${save.data.version} is recorded after it: ${order}`);
    }
  });
});

/** Auto-save off for the tests that decide when a document is saved: the browser workbench would save it after a 1 s pause. */
function autoSaveOff(): void {
  const files = () => vscode.workspace.getConfiguration('files');
  let autoSave: string | undefined;
  before(async () => {
    autoSave = files().inspect<string>('autoSave')?.globalValue;
    await files().update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  });
  after(() => files().update('autoSave', autoSave, vscode.ConfigurationTarget.Global));
}

describe('a change on disk that is exactly the unsaved text of an open document', () => {
  autoSaveOff();
  it("is the editor's save, however late the host hears of it; other bytes are another process's change", async () => {
    const file = 'src/unsaved.js';
    const path = join(repo, file);
    const original = 'const saved = 1;\n';
    const onDisk = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(repo), file));
    // Codetrail's watcher gets the same batch of events, in the same dispatch, before this one's waiter resumes.
    const written = async (text: string, event: vscode.Event<vscode.Uri> = onDisk.onDidChange) => {
      const seen = nextEvent(event);
      writeFileSync(path, text);
      await seen;
      await flush(); // waits for every change on disk Codetrail was told of to be recorded
    };
    try {
      await written(original, onDisk.onDidCreate);
      const doc = await vscode.workspace.openTextDocument(path);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(1, 0), 'const unsaved = 2;\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(doc.isDirty, 'the document has unsaved changes');
      const after = (await storeRecords(store)).length;
      // What the editor is about to save, written before the host hears of any save.
      await written(doc.getText());
      // Then bytes that are nobody's in the editor: another process's, after the wait for a save.
      const other = `${original}// written by a process\n`;
      await written(other);
      const external = (await storeRecords(store)).slice(after).filter((r) => r.data?.file === file && r.origin === 'external');
      assert.equal(external.length, 1, `one change on disk: ${JSON.stringify(external.map((r) => [r.kind, r.data]))}`);
      assert.equal(external[0]!.kind, 'file.external');
      // Diffed against what disk held before the editor's bytes: those were never taken as disk's.
      assert.ok(JSON.stringify(external[0]!.data).includes('written by a process'), JSON.stringify(external[0]!.data));
      assert.ok(!JSON.stringify(external[0]!.data).includes('unsaved = 2'), `the editor's unsaved line is no process's: ${JSON.stringify(external[0]!.data)}`);
    } finally {
      onDisk.dispose();
      await vscode.window.showTextDocument(vscode.Uri.file(path));
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });
});

describe('a save the extension host hears of after the typing that followed it', () => {
  autoSaveOff();
  it("is the editor's save, not a change on disk; a process's change after it still is", async () => {
    const file = 'src/late.js';
    const path = join(repo, file);
    const onDisk = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(repo), file));
    const created = nextEvent(onDisk.onDidCreate);
    writeFileSync(path, 'let late = 0;\n');
    await created;
    const doc = await vscode.workspace.openTextDocument(path);
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    // From the moment the editor starts a save until the host hears it is done, keys keep coming:
    // those typed while its file was being written reach the host before the save does.
    let saving = false;
    let typing = Promise.resolve();
    const late: number[] = [];
    const subs = [
      vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document !== doc) return;
        saving = true;
        typing = (async () => {
          while (saving) await typeText(editor, 'z');
        })();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d !== doc) return;
        saving = false;
        if (readFileSync(path, 'utf8') !== d.getText()) late.push(d.version);
      }),
    ];
    try {
      const after = (await storeRecords(store)).length;
      for (let round = 0; round < 6; round++) {
        await typeText(editor, 'a');
        const saved = nextEvent(vscode.workspace.onDidSaveTextDocument, (d) => d === doc);
        const reported = nextEvent(onDisk.onDidChange);
        await doc.save();
        await saved;
        await typing;
        // Recorded (or not) by the flush: Codetrail's watcher hears of it in the same dispatch.
        await reported;
      }
      await flush();
      assert.ok(late.length > 0, 'the host heard of at least one save after keys typed while it was written');
      let mine = (await storeRecords(store)).slice(after).filter((r) => r.data?.file === file);
      assert.deepEqual(
        mine.filter((r) => r.origin === 'external').map((r) => `${r.kind} ${JSON.stringify(r.data).slice(0, 300)}`),
        [],
        `saves heard of late (at versions ${late.join(', ')}) are no process's change`,
      );
      assert.equal(mine.filter((r) => r.kind === 'file.save').length, 6);
      // Bytes no save wrote: another process's change, recorded as one.
      const before = (await storeRecords(store)).length;
      const changed = nextEvent(onDisk.onDidChange);
      writeFileSync(path, 'let late = 0;\n// written by a process\n');
      await changed;
      await flush();
      mine = (await storeRecords(store)).slice(before).filter((r) => r.data?.file === file && r.origin === 'external');
      assert.equal(mine.length, 1, JSON.stringify(mine));
      assert.ok(JSON.stringify(mine[0]!.data).includes('written by a process'));
    } finally {
      saving = false;
      await typing;
      for (const sub of subs) sub.dispose();
      onDisk.dispose();
    }
  });
});
