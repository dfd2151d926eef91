import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { changesAfter, EarlierSaves, type DocumentChange } from '../../src/core/capture/earlierSaves';

/** Changes drawn against the text they apply to, with every text along the way. */
const editsArb = fc
  .record({
    initial: fc.string({ unit: fc.constantFrom('a', 'b', '\n', ' ', 'é'), maxLength: 40 }),
    steps: fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 4 }), insert: fc.string({ unit: fc.constantFrom('x', 'y', '\n', '€'), maxLength: 5 }) }), {
      minLength: 1,
      maxLength: 30,
    }),
  })
  .map(({ initial, steps }) => {
    const texts = [initial];
    const changes: DocumentChange[] = [];
    for (const s of steps) {
      const text = texts.at(-1)!;
      const rangeOffset = s.at % (text.length + 1);
      const rangeLength = Math.min(s.remove, text.length - rangeOffset);
      changes.push({ rangeOffset, rangeLength, text: s.insert });
      texts.push(text.slice(0, rangeOffset) + s.insert + text.slice(rangeOffset + rangeLength));
    }
    return { texts, changes };
  });

describe('a save heard of after later changes', () => {
  it('counts the changes made after any text the document held: the fewest that lead on from it', () => {
    /** The plain rule, without the length shortcut: the last `m` changes applied one by one, none past the end. */
    const applyLast = (text: string, changes: DocumentChange[], m: number) =>
      changes
        .slice(changes.length - m)
        .reduce<string | undefined>(
          (t, c) =>
            t === undefined || c.rangeOffset + c.rangeLength > t.length
              ? undefined
              : t.slice(0, c.rangeOffset) + c.text + t.slice(c.rangeOffset + c.rangeLength),
          text,
        );
    fc.assert(
      fc.property(editsArb, ({ texts, changes }) => {
        const now = texts.at(-1)!;
        texts.forEach((earlier, k) => {
          const fewest = Array.from({ length: changes.length + 1 }, (_, m) => m).find((m) => applyLast(earlier, changes, m) === now);
          // Never more than were made since the document last held this text.
          assert.ok(fewest !== undefined && fewest <= changes.length - texts.lastIndexOf(earlier));
          assert.equal(changesAfter(earlier, now, changes), fewest, `text after ${k} changes`);
        });
      }),
    );
  });

  it('tells bytes another process wrote from the document’s own earlier texts', () => {
    fc.assert(
      fc.property(editsArb, fc.nat(), ({ texts, changes }, pick) => {
        const written = `${texts[pick % texts.length]}// written by a formatter\n`;
        fc.pre(!texts.includes(written));
        assert.equal(changesAfter(written, texts.at(-1)!, changes), undefined);
      }),
    );
  });

  it('keeps what the save wrote only when it is an earlier text of the document, until forgotten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codetrail-earlier-'));
    try {
      const file = join(dir, 'main.js');
      const saves = new EarlierSaves();
      // Saved at "let a = 1;", then ";b" typed before the save was heard of.
      const typed: DocumentChange[] = [
        { rangeOffset: 0, rangeLength: 0, text: 'let a = 1;' },
        { rangeOffset: 10, rangeLength: 0, text: '\n' },
        { rangeOffset: 11, rangeLength: 0, text: 'b' },
      ];
      writeFileSync(file, 'let a = 1;');
      saves.check(file, 'let a = 1;\nb', typed);
      await saves.settle();
      assert.equal(saves.wrote(file, 'let a = 1;'), true);
      assert.equal(saves.wrote(file, 'let a = 1;\nb'), false);
      saves.forget(file);
      assert.equal(saves.wrote(file, 'let a = 1;'), false);

      // Disk equal to the document: an ordinary save, nothing kept.
      writeFileSync(file, 'let a = 1;\nb');
      saves.check(file, 'let a = 1;\nb', typed);
      await saves.settle();
      assert.equal(saves.wrote(file, 'let a = 1;\nb'), false);

      // Something no change leads on from (a tool wrote it between the save and the read): not the editor's.
      writeFileSync(file, 'let a = 1; // formatted');
      saves.check(file, 'let a = 1;\nb', typed);
      await saves.settle();
      assert.equal(saves.wrote(file, 'let a = 1; // formatted'), false);

      // A file gone by the time it is read: nothing kept, no error.
      rmSync(file);
      saves.check(file, 'let a = 1;\nb', typed);
      await saves.settle();
      assert.equal(saves.wrote(file, ''), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
