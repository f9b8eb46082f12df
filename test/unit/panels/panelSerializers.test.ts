// Panels come back after a reload (issue 18): every webview panel type the extension creates has
// a serializer and an onWebviewPanel activation event, and a restored panel gets its page again
// (scripts enabled, resources only from dist/webviews) and becomes the panel later commands reveal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { fakeWebviewPanel, installFakeVscode, Uri } from '../../support/fakeVscode';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { panelViewTypes, registerPanelSerializers } = require('../../../src/panels/panelSerializers') as typeof import('../../../src/panels/panelSerializers');
const { LabViewPanel } = require('../../../src/panels/labViewPanel') as typeof import('../../../src/panels/labViewPanel');
const { LAB_VIEWS } = require('../../../src/panels/labViews') as typeof import('../../../src/panels/labViews');
const { TrainingPanel } = require('../../../src/panels/trainingPanel') as typeof import('../../../src/panels/trainingPanel');
/* eslint-enable @typescript-eslint/no-require-imports */

const extensionUri = Uri.file('/ext') as never;
const placement = { viewColumn: 2, preserveFocus: true as const };
const unavailable = async () => ({ unavailable: 'no lab' });
const sources = {
  labView: { compute: unavailable, labTitle: () => undefined, revealFunction: () => undefined },
  training: {} as never,
} as unknown as Parameters<typeof registerPanelSerializers>[1];

describe('webview panels after a reload', () => {
  beforeEach(() => fake.reset());
  afterEach(() => {
    LabViewPanel.disposeAll();
    TrainingPanel.current?.dispose();
  });

  it('every panel view type has a serializer and an onWebviewPanel activation event', () => {
    registerPanelSerializers(extensionUri, sources);
    const types = panelViewTypes();
    assert.ok(types.includes('transformerLabs.view.attention') && types.includes('transformerLabs.view.decoding') && types.includes('transformerLabs.view.training'));
    assert.deepEqual([...fake.serializers.keys()].sort(), [...types].sort());
    const events = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { activationEvents: string[] }).activationEvents;
    for (const t of types) assert.ok(events.includes(`onWebviewPanel:${t}`), `package.json lacks onWebviewPanel:${t}`);
  });

  it('a restored attention panel gets its page back and is the one Show Attention Panel reveals', async () => {
    registerPanelSerializers(extensionUri, sources);
    const panel = fakeWebviewPanel('transformerLabs.view.attention');
    await fake.serializers.get('transformerLabs.view.attention')!.deserializeWebviewPanel(panel, { inputs: 'kept by the page' });
    assert.deepEqual(panel.webview.options, { enableScripts: true, localResourceRoots: [Uri.file('/ext/dist/webviews')] });
    assert.match(panel.webview.html, /attention\.js/);
    const restored = LabViewPanel.open.get('attention');
    assert.ok(restored, 'the restored panel is the open attention view');
    assert.equal(LabViewPanel.createOrShow(extensionUri, LAB_VIEWS.attention, sources.labView, placement), restored, 'no second panel is created');
    assert.equal(fake.createdPanels.length, 0);
    panel.dispose();
    assert.equal(LabViewPanel.open.get('attention'), undefined);
  });

  it('an attention panel left open by an older build (view type transformerLabs.attention) comes back as the attention view', async () => {
    registerPanelSerializers(extensionUri, sources);
    const panel = fakeWebviewPanel('transformerLabs.attention');
    await fake.serializers.get('transformerLabs.attention')!.deserializeWebviewPanel(panel, { heads: 2 });
    assert.deepEqual(panel.webview.options, { enableScripts: true, localResourceRoots: [Uri.file('/ext/dist/webviews')] });
    assert.match(panel.webview.html, /attention\.js/);
    const restored = LabViewPanel.open.get('attention');
    assert.ok(restored, 'the restored panel is the open attention view');
    assert.equal(LabViewPanel.createOrShow(extensionUri, LAB_VIEWS.attention, sources.labView, placement), restored, 'Show Attention Panel reveals it, no second panel');
    assert.equal(fake.createdPanels.length, 0);
  });

  it('a restored lab view panel is registered under its view id', async () => {
    registerPanelSerializers(extensionUri, sources);
    const panel = fakeWebviewPanel('transformerLabs.view.decoding');
    await fake.serializers.get('transformerLabs.view.decoding')!.deserializeWebviewPanel(panel, undefined);
    assert.match(panel.webview.html, /decoding\.js/);
    assert.ok(LabViewPanel.open.get('decoding'));
  });

  it('Show Attention Panel on an open panel reveals it where it is (no column), without taking focus', () => {
    const first = LabViewPanel.createOrShow(extensionUri, LAB_VIEWS.attention, sources.labView, placement);
    assert.equal(fake.createdPanels.length, 1);
    assert.deepEqual(fake.createdPanels[0].column, placement, 'opened where panelPlacement said');
    const panel = fake.createdPanels[0].panel;
    assert.equal(LabViewPanel.createOrShow(extensionUri, LAB_VIEWS.attention, sources.labView, placement), first);
    assert.equal(fake.createdPanels.length, 1, 'no second panel');
    assert.deepEqual(panel.reveals, [[undefined, true]], 'revealed in its own group, focus kept in the editor');
  });
});
