// Open Lab shows the lab's instructions in a locked Markdown preview and closes the other labs'
// (a reused unlocked preview came back after a reload showing the lab left behind: course e2e).
import assert from 'node:assert/strict';
import { installFakeVscode, Uri, vscodeFake } from '../../support/fakeVscode';
import { staleInstructionTabs, type TabLike } from '../../../src/labs/instructionTabs';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { openLabEditors } = require('../../../src/labs/openLab') as typeof import('../../../src/labs/openLab');
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
    // A tab whose input says nothing of its kind is left alone.
    assert.deepEqual(staleInstructionTabs([{ tabs: [{ label: '[Preview] INSTRUCTIONS.md', isActive: false, input: undefined }, { label: 'INSTRUCTIONS.md', isActive: false, input: { viewType: 7 } }] }], 'INSTRUCTIONS.md'), []);
  });

  it('Open Lab asks for a locked preview of the lab\'s INSTRUCTIONS.md, then closes the other labs\' previews', async () => {
    const executeCommand = vscodeFake.commands.executeCommand;
    const lab1 = preview('[Preview] INSTRUCTIONS.md', true);
    const code = text('attention.ts', true);
    const notes = preview('Preview notes.md', false);
    fake.tabGroups = [{ tabs: [code] }, { tabs: [lab1, notes] }];
    const lab2 = preview('[Preview] INSTRUCTIONS.md', true);
    vscodeFake.commands.executeCommand = (id: string, ...args: unknown[]) => {
      fake.commands.push({ id, args });
      // The Markdown extension puts Lab 2's preview in front of the group Lab 1's was in.
      lab1.isActive = false;
      fake.tabGroups[1].tabs.push(lab2);
      return Promise.resolve(undefined);
    };
    try {
      await openLabEditors('/course/02-transformer-block', { manifest: { files: [{ path: 'block.ts' }] } } as never);
    } finally {
      vscodeFake.commands.executeCommand = executeCommand;
    }
    assert.deepEqual(fake.commands.map((c) => [c.id, (c.args[0] as Uri).fsPath]), [['markdown.showLockedPreviewToSide', '/course/02-transformer-block/INSTRUCTIONS.md']]);
    assert.deepEqual(fake.tabGroups.map((g) => g.tabs), [[code], [notes, lab2]]);
  });
});
