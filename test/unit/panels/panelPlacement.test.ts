// Show Lab Panel right after Open Lab (issue 18): the instructions preview came from the Markdown
// extension 3.5 s after the code, landed in the column the panel had just opened in, and covered
// it. A panel now waits for the lab's editor layout, then opens in the column right of the code.
import assert from 'node:assert/strict';
import { installFakeVscode, Uri, vscodeFake } from '../../support/fakeVscode';
import { columnBesideCode } from '../../../src/panels/panelColumn';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { openLabEditors, previewTiming, showInstructions } = require('../../../src/labs/openLab') as typeof import('../../../src/labs/openLab');
const { panelPlacement } = require('../../../src/panels/panelPlacement') as typeof import('../../../src/panels/panelPlacement');
const { editorLayoutSettled } = require('../../../src/labs/editorLayout') as typeof import('../../../src/labs/editorLayout');
/* eslint-enable @typescript-eslint/no-require-imports */

const lab = { manifest: { files: [{ path: 'block.ts' }] } } as never;
const registry = { exerciseFileOf: (u: Uri) => (u.fsPath === '/lab/block.ts' ? 'block.ts' : undefined) } as never;
const editor = (path: string, viewColumn: number) => ({ document: { uri: Uri.file(path) }, viewColumn });
const win = vscodeFake.window as unknown as { activeTextEditor: unknown; visibleTextEditors: unknown[] };

describe('where a lab panel opens', () => {
  const executeCommand = vscodeFake.commands.executeCommand;
  // No Markdown extension here: no preview tab comes to the front, so Open Lab waits only briefly.
  const maxWaitMs = previewTiming.maxWaitMs;
  before(() => (previewTiming.maxWaitMs = 50));
  after(() => (previewTiming.maxWaitMs = maxWaitMs));
  beforeEach(() => {
    fake.reset();
    win.activeTextEditor = undefined;
    win.visibleTextEditors = [];
  });
  afterEach(() => {
    vscodeFake.commands.executeCommand = executeCommand;
  });

  it('waits until Open Lab\'s instructions preview is shown, however late the Markdown extension answers', async () => {
    const order: string[] = [];
    let answerPreview!: () => void;
    vscodeFake.commands.executeCommand = (id: string) => {
      order.push(`asked ${id}`);
      return new Promise((resolve) => (answerPreview = () => (order.push('preview shown'), resolve(undefined))));
    };
    const opening = openLabEditors('/lab', lab);
    const placed = panelPlacement(registry).then((p) => (order.push('panel placed'), p));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(order, ['asked markdown.showLockedPreviewToSide'], 'the panel is not placed while the preview is pending');
    answerPreview();
    await Promise.all([opening, placed]);
    assert.deepEqual(order, ['asked markdown.showLockedPreviewToSide', 'preview shown', 'panel placed']);
  });

  it('Show Instructions queues behind an Open Lab in flight, so the editors land in order', async () => {
    const order: string[] = [];
    const answers: (() => void)[] = [];
    vscodeFake.commands.executeCommand = () => new Promise((resolve) => answers.push(() => resolve(undefined)));
    const opening = openLabEditors('/lab', lab).then(() => order.push('open lab'));
    const instructions = showInstructions('/lab').then(() => order.push('instructions'));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(answers.length, 1, 'the second preview is not asked for before the first is shown');
    answers[0]();
    // The first layout ends once its preview's tab is in front (here: after the short wait).
    const deadline = Date.now() + 5_000;
    while (answers.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(order.join(), 'open lab', 'the first layout ended before the second was asked for');
    answers[1]();
    await Promise.all([opening, instructions]);
    assert.deepEqual(order, ['open lab', 'instructions']);
  });

  it('a Markdown extension that does not answer keeps the panels shut only until the time limit', async () => {
    let answer!: () => void;
    vscodeFake.commands.executeCommand = () => new Promise((resolve) => (answer = () => resolve(undefined)));
    const layout = showInstructions('/lab');
    const t0 = Date.now();
    await editorLayoutSettled(100);
    assert.ok(Date.now() - t0 >= 90, 'it did wait');
    answer();
    await layout;
  });

  it('opens right of the learner\'s code, also when the instructions preview has the focus', async () => {
    win.visibleTextEditors = [editor('/lab/INSTRUCTIONS.md', 2), editor('/lab/block.ts', 1)];
    win.activeTextEditor = undefined; // a webview (the preview) is active: no text editor is
    assert.deepEqual(await panelPlacement(registry), { viewColumn: 2, preserveFocus: true });
  });

  it('opens beside the active editor when no code is visible', async () => {
    win.visibleTextEditors = [editor('/lab/INSTRUCTIONS.md', 1)];
    assert.deepEqual(await panelPlacement(registry), { viewColumn: vscodeFake.ViewColumn.Beside, preserveFocus: true });
  });
});

describe('columnBesideCode', () => {
  const code = (column: number) => ({ exercise: true, column });
  const other = (column: number) => ({ exercise: false, column });
  it('is the column right of the active editor when it shows the lab\'s code', () => {
    assert.equal(columnBesideCode(code(2), [code(1), code(2)]), 3);
  });
  it('is right of the first visible code editor when something else is active', () => {
    assert.equal(columnBesideCode(other(2), [other(2), code(1)]), 2);
    assert.equal(columnBesideCode(undefined, [other(3), code(2)]), 3);
  });
  it('is undefined when no code is visible (the panel then opens beside the active editor)', () => {
    assert.equal(columnBesideCode(other(1), [other(1)]), undefined);
    assert.equal(columnBesideCode(undefined, []), undefined);
    assert.equal(columnBesideCode(undefined, [{ exercise: true, column: undefined }]), undefined);
  });
});
