// The views of a lab outside the build: Show Lab Panel offers them, on the generic page
// (webviews/lab-data), which lays out whatever JSON the lab's visualize function returns.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { installFakeVscode, Uri } from '../../support/fakeVscode';
import { layOut } from '../../../webviews/lab-data/layout';
import { findLab, loadLabs, withLabPaths } from '../../../core/labs/labLoader';
import { writeNewLab } from '../../../core/labs/newLab';
import { repoRoot } from '../../support/repoRoot';

const fake = installFakeVscode();
/* eslint-disable @typescript-eslint/no-require-imports */
const { pickLabView, LAB_DATA_PAGE } = require('../../../src/panels/labViews') as typeof import('../../../src/panels/labViews');
const { LabViewPanel } = require('../../../src/panels/labViewPanel') as typeof import('../../../src/panels/labViewPanel');
/* eslint-enable @typescript-eslint/no-require-imports */

describe('the generic lab view: layout of any payload', () => {
  it('the learner beside the reference, the input rows as columns, the largest difference', () => {
    const l = layOut({ scores: [1000, 1001, 1002], learner: [0.09, 0.25, 0.66], reference: [0.0900306, 0.2447285, 0.6652410], note: 'shifted' });
    assert.deepEqual(l.comparison!.columns, ['#', 'scores', 'yours', 'reference', '|yours − reference|']);
    assert.deepEqual(l.comparison!.rows[1].slice(0, 4), [1, 1001, 0.25, 0.2447285]);
    assert.ok(Math.abs(l.comparison!.maxAbsDiff! - 0.0052715) < 1e-9, String(l.comparison!.maxAbsDiff));
    assert.deepEqual(l.scalars, [['note', 'shifted']]);
    assert.deepEqual(l.rest, []);
  });

  it('no result from the learner: the reference alone, no difference, the error said', () => {
    const l = layOut({ scores: [2, 1], learner: null, reference: [0.73, 0.27], learnerError: 'softmax threw Error: TODO' });
    assert.equal(l.learnerError, 'softmax threw Error: TODO');
    assert.equal(l.comparison!.maxAbsDiff, null);
    assert.deepEqual(l.comparison!.rows.map((r) => r[2]), ['—', '—']);
  });

  it('a NaN from the learner makes the largest difference NaN, not a small number', () => {
    const l = layOut({ learner: [Number.NaN, 0.5], reference: [0.5, 0.5] });
    assert.ok(Number.isNaN(l.comparison!.maxAbsDiff!));
  });

  it('matrices of one shape side by side; rows of another length and objects are shown as they are', () => {
    const l = layOut({ learner: [[1, 0], [0, 1]], reference: [[1, 0], [0, 1]], other: [1, 2, 3], meta: { layers: 2 } });
    assert.deepEqual(l.matrices, { learner: [[1, 0], [0, 1]], reference: [[1, 0], [0, 1]] });
    assert.deepEqual(l.rest.map(([k]) => k), ['other', 'meta']);
    assert.match(l.rest[1][1], /"layers": 2/);
    assert.equal(l.comparison, undefined);
  });

  it('learner and reference of different lengths are not paired', () => {
    const l = layOut({ learner: [1, 2], reference: [1, 2, 3] });
    assert.equal(l.comparison, undefined);
    assert.deepEqual(l.rest.map(([k]) => k), ['learner', 'reference']);
  });
});

describe('Show Lab Panel: the views of a lab outside the build', () => {
  const extra = join(mkdtempSync(join(tmpdir(), 'tl-lab-data-')), 'softmax-lab');
  writeNewLab(extra, 'softmax-lab');
  const labs = withLabPaths(loadLabs(join(repoRoot(), 'labs')), [extra]);
  const registryWith = (id: string) => ({ current: { lab: findLab(labs.labs, id)! } }) as never;

  beforeEach(() => fake.reset());
  afterEach(() => LabViewPanel.disposeAll());

  it('offers the external lab\'s view on the generic page, titled as the lab titles it', async () => {
    const kind = await pickLabView(registryWith('softmax-lab'));
    assert.ok(kind && typeof kind === 'object');
    assert.deepEqual([kind.id, kind.page, kind.title], ['softmax', LAB_DATA_PAGE, 'Softmax: yours beside the reference']);
    assert.equal(kind.validate!({ learner: null }), undefined);
    assert.match(kind.validate!(42) ?? '', /no object/);
    LabViewPanel.createOrShow(Uri.file('/ext') as never, kind, { compute: async () => ({ unavailable: 'x' }), labTitle: () => undefined, revealFunction: () => undefined }, { viewColumn: 2, preserveFocus: true });
    const { panel } = fake.createdPanels[0];
    assert.equal(panel.viewType, 'transformerLabs.view.lab-data');
    assert.match(panel.webview.html, /lab-data\.js/);
    assert.match(panel.webview.html, /lab-data\.css/);
  });

  it('a built-in lab keeps to its own pages', async () => {
    const kind = await pickLabView(registryWith('02-transformer-block'));
    assert.ok(kind && typeof kind === 'object');
    assert.deepEqual([kind.id, kind.page], ['block', undefined]);
  });
});
