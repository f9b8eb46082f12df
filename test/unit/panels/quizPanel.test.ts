// The quiz panel's host side with a fake vscode: one panel per lab (asking again reveals it), its
// page and title, and after a window reload the panel comes back bound to the lab id its page kept
// — or, without one, is closed rather than left showing nothing.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabs } from '../../../core/labs/labLoader';
import { quizOf } from '../../../core/quiz/quizFile';
import { repoRoot } from '../../support/repoRoot';
import { fakeWebviewPanel, installFakeVscode, Uri } from '../../support/fakeVscode';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { QuizPanel } = require('../../../src/panels/quizPanel') as typeof import('../../../src/panels/quizPanel');
const { registerPanelSerializers } = require('../../../src/panels/panelSerializers') as typeof import('../../../src/panels/panelSerializers');
/* eslint-enable @typescript-eslint/no-require-imports */

const extensionUri = Uri.file('/ext') as never;
const labs = loadLabs(join(repoRoot(), 'labs')).labs;
const dir = mkdtempSync(join(tmpdir(), 'tl-quiz-panel-host-'));
const loaded: string[] = [];
const quizSource = {
  load(labId: string) {
    loaded.push(labId);
    const lab = labs.find((l) => l.manifest.id === labId);
    return lab ? { dir, labId, labTitle: lab.manifest.title, quiz: quizOf(lab)! } : { unavailable: `no lab "${labId}"` };
  },
  onAnswered: () => undefined,
  revealFunction: () => undefined,
};
const sources = { attention: {}, labView: {}, training: {}, quiz: quizSource } as unknown as Parameters<typeof registerPanelSerializers>[1];

describe('quiz panel: host side', () => {
  beforeEach(() => fake.reset());
  afterEach(() => QuizPanel.disposeAll());

  it('one panel per lab: asking again reveals it; another lab gets its own', () => {
    const p1 = QuizPanel.createOrShow(extensionUri, '01-attention', quizSource);
    assert.equal(fake.createdPanels.length, 1);
    const panel = fake.createdPanels[0].panel as ReturnType<typeof fakeWebviewPanel> & { title?: string };
    assert.equal(panel.viewType, 'transformerLabs.quiz');
    assert.equal(panel.title, 'Quiz: Attention from scratch');
    assert.match(panel.webview.html, /quiz\.js/);
    assert.match(panel.webview.html, /quiz\.css/);
    assert.match(panel.webview.html, /panel\.css/);
    assert.equal(QuizPanel.createOrShow(extensionUri, '01-attention', quizSource), p1);
    assert.equal(fake.createdPanels.length, 1, 'no second panel for the same lab');
    assert.equal(panel.reveals.length, 1);
    QuizPanel.createOrShow(extensionUri, '02-transformer-block', quizSource);
    assert.equal(fake.createdPanels.length, 2);
    assert.deepEqual([...QuizPanel.open.keys()].sort(), ['01-attention', '02-transformer-block']);
    panel.dispose();
    assert.deepEqual([...QuizPanel.open.keys()], ['02-transformer-block'], 'a closed panel is forgotten');
  });

  it('after a reload the panel comes back bound to the lab its page kept; without a lab id it is closed', async () => {
    registerPanelSerializers(extensionUri, sources);
    const restored = fakeWebviewPanel('transformerLabs.quiz');
    await fake.serializers.get('transformerLabs.quiz')!.deserializeWebviewPanel(restored, { labId: '02-transformer-block', drafts: {} });
    assert.deepEqual(restored.webview.options, { enableScripts: true, localResourceRoots: [Uri.file('/ext/dist/webviews')] });
    assert.match(restored.webview.html, /quiz\.js/);
    assert.ok(QuizPanel.open.get('02-transformer-block'), 'the restored panel is the one for its lab');
    assert.equal(QuizPanel.createOrShow(extensionUri, '02-transformer-block', quizSource), QuizPanel.open.get('02-transformer-block'));
    assert.equal(fake.createdPanels.length, 0, 'asking for the quiz reveals the restored panel');
    const orphan = fakeWebviewPanel('transformerLabs.quiz');
    await fake.serializers.get('transformerLabs.quiz')!.deserializeWebviewPanel(orphan, undefined);
    assert.equal(orphan.disposed, true);
    assert.deepEqual([...QuizPanel.open.keys()], ['02-transformer-block']);
  });
});
