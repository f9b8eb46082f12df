// Open Lab shows the lab's instructions in a locked Markdown preview and closes the other labs'
// (a reused unlocked preview came back after a reload showing the lab left behind: course e2e).
import assert from 'node:assert/strict';
import { installFakeVscode, Uri, vscodeFake } from '../../support/fakeVscode';
import { staleInstructionTabs, type TabLike } from '../../../src/labs/instructionTabs';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { openLabEditors, previewTiming } = require('../../../src/labs/openLab') as typeof import('../../../src/labs/openLab');
/* eslint-enable @typescript-eslint/no-require-imports */

const preview = (label: string, isActive: boolean): TabLike => ({ label, isActive, input: { viewType: 'mainThreadWebview-markdown.preview' } });
const text = (label: string, isActive: boolean): TabLike => ({ label, isActive, input: { uri: Uri.file(`/course/${label}`) } });
const panel = (label: string, isActive: boolean): TabLike => ({ label, isActive, input: { viewType: 'mainThreadWebview-transformerLabs.quiz' } });

describe('the instructions preview of the lab opened, and no other lab\'s', () => {
  beforeEach(() => fake.reset());

  it('finds the instructions previews not in front of their group, and nothing else', () => {
    const lab1 = preview('[Preview] INSTRUCTIONS.md', false);
    const groups = [
      { tabs: [text('attention.ts', false), text('block.ts', true), text('INSTRUCTIONS.md', false)] },
      { tabs: [lab1, preview('[Preview] INSTRUCTIONS.md', true), preview('Preview notes.md', false), panel('Quiz: The transformer block', false)] },
    ];
    assert.deepEqual(staleInstructionTabs(groups, 'INSTRUCTIONS.md'), [lab1]);
    // An unlocked preview and a translated label count too: the file name is what the label keeps.
    const other = [preview('Preview INSTRUCTIONS.md', false), preview('[Vorschau] INSTRUCTIONS.md', false)];
    assert.deepEqual(staleInstructionTabs([{ tabs: other }], 'INSTRUCTIONS.md'), other);
    // In front of its group (the lab just opened, or one the learner keeps in a third group): kept.
    assert.deepEqual(staleInstructionTabs([{ tabs: [preview('[Preview] INSTRUCTIONS.md', true)] }, { tabs: [preview('[Preview] INSTRUCTIONS.md', true)] }], 'INSTRUCTIONS.md'), []);
    // Another webview (a custom editor of the file, say) named after the file is not a Markdown preview.
    assert.deepEqual(staleInstructionTabs([{ tabs: [{ label: 'INSTRUCTIONS.md', isActive: false, input: { viewType: 'mainThreadWebview-someExtension.mdEditor' } }] }], 'INSTRUCTIONS.md'), []);
    // A tab whose input says nothing of its kind is left alone.
    assert.deepEqual(staleInstructionTabs([{ tabs: [{ label: '[Preview] INSTRUCTIONS.md', isActive: false, input: undefined }, { label: 'INSTRUCTIONS.md', isActive: false, input: { viewType: 7 } }] }], 'INSTRUCTIONS.md'), []);
  });

  describe('Open Lab', () => {
    const executeCommand = vscodeFake.commands.executeCommand;
    const maxWaitMs = previewTiming.maxWaitMs;
    const lab2Dir = '/course/02-transformer-block';
    const open = (dir: string) => openLabEditors(dir, { manifest: { files: [{ path: 'block.ts' }] } } as never);
    /** The Markdown extension as code-server runs it: the preview's tab arrives after its command returns. */
    const markdownOpens = (tab: TabLike, laterMs = 30) => {
      vscodeFake.commands.executeCommand = (id: string, ...args: unknown[]) => {
        fake.commands.push({ id, args });
        setTimeout(() => {
          const group = fake.tabGroups[1];
          for (const t of group.tabs) t.isActive = false;
          if (!group.tabs.includes(tab)) group.tabs.push(tab);
          tab.isActive = true;
          fake.tabsChanged.fire({});
        }, laterMs);
        return Promise.resolve(undefined);
      };
    };
    afterEach(() => {
      vscodeFake.commands.executeCommand = executeCommand;
      previewTiming.maxWaitMs = maxWaitMs;
    });

    it('asks for a locked preview of the lab\'s INSTRUCTIONS.md and, once its tab is in front, closes the other labs\' previews', async () => {
      const lab1 = preview('[Preview] INSTRUCTIONS.md', true);
      const code = text('attention.ts', true);
      const notes = preview('Preview notes.md', false);
      fake.tabGroups = [{ tabs: [code] }, { tabs: [lab1, notes] }];
      const lab2 = preview('[Preview] INSTRUCTIONS.md', false);
      markdownOpens(lab2, 100);
      await open(lab2Dir);
      assert.deepEqual(fake.commands.map((c) => [c.id, (c.args[0] as Uri).fsPath]), [['markdown.showLockedPreviewToSide', `${lab2Dir}/INSTRUCTIONS.md`]]);
      assert.deepEqual(fake.tabGroups.map((g) => g.tabs), [[code], [notes, lab2]]);

      // Shown again while in front: no tab changes, so Open Lab does not wait for one.
      const t0 = Date.now();
      previewTiming.maxWaitMs = 2_000;
      vscodeFake.commands.executeCommand = (id: string, ...args: unknown[]) => (fake.commands.push({ id, args }), Promise.resolve(undefined));
      await open(lab2Dir);
      assert.ok(Date.now() - t0 < 1_000, `waited ${Date.now() - t0} ms for a tab change that does not come`);
      assert.deepEqual(fake.tabGroups.map((g) => g.tabs), [[code], [notes, lab2]]);
    });

    it('closes nothing when no preview comes to the front in time', async () => {
      previewTiming.maxWaitMs = 100;
      const lab1 = preview('[Preview] INSTRUCTIONS.md', false);
      const lab3 = preview('[Preview] INSTRUCTIONS.md', true);
      fake.tabGroups = [{ tabs: [text('attention.ts', true)] }, { tabs: [lab1, lab3] }];
      vscodeFake.commands.executeCommand = () => Promise.resolve(undefined);
      const t0 = Date.now();
      await open(lab2Dir);
      assert.ok(Date.now() - t0 >= 90, 'it waited for the tab');
      assert.deepEqual(fake.tabGroups[1].tabs, [lab1, lab3]);
    });
  });
});
