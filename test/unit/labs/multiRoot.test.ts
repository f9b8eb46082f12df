// Multi-root workspaces (issue 18): a lab in any folder is found; with several, the learner is told
// which one is checked and can choose (remembered); Open Lab considers every folder. The registry
// and Open Lab run against the fake `vscode` module; the lab folders are real ones on disk.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MARKER_FILE } from '../../../core/labs/scaffold';
import { writeNewLab } from '../../../core/labs/newLab';
import { repoRoot } from '../../support/repoRoot';
import { installFakeVscode } from '../../support/fakeVscode';

const fake = installFakeVscode();
// Loaded after the fake is installed: they import `vscode`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LabRegistry } = require('../../../src/labs/labRegistry') as typeof import('../../../src/labs/labRegistry');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pickFolder } = require('../../../src/labs/openLab') as typeof import('../../../src/labs/openLab');
import { chooseActiveLab, folderFit, foldersForLab } from '../../../src/labs/labFolders';

function memento() {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: (k: string, v: unknown) => (m.set(k, v), Promise.resolve()) };
}

function fakeCtx(labPaths: string[] = []) {
  const root = repoRoot();
  return {
    paths: { labsRoot: join(root, 'labs'), labsDist: join(root, 'out', 'labs') },
    output: { error: () => undefined, info: () => undefined },
    extension: { workspaceState: memento() },
    push: <T>(d: T) => d,
    settings: { labPaths },
    onDidChangeSettings: () => ({ dispose: () => undefined }),
  } as unknown as ConstructorParameters<typeof LabRegistry>[0];
}

describe('multi-root workspaces', () => {
  let base: string;
  const folder = (name: string, labId?: string, extra?: string) => {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    if (labId) {
      mkdirSync(join(dir, '.transformer-labs'), { recursive: true });
      writeFileSync(join(dir, MARKER_FILE), JSON.stringify({ labId, labVersion: '1.0.0', createdAt: '2026-12-01T00:00:00Z', files: ['x.ts'] }));
    }
    if (extra) writeFileSync(join(dir, extra), 'notes');
    return dir;
  };

  beforeEach(() => {
    fake.reset();
    base = mkdtempSync(join(tmpdir(), 'tl-multiroot-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  describe('the lab registry', () => {
    it('transformerLabs.labPaths adds a new-lab lab in a trusted workspace; a missing path is named and the other labs load', () => {
      const labDir = join(base, 'my-labs', 'softmax-lab');
      writeNewLab(labDir);
      const ws = folder('ws', 'softmax-lab');
      fake.setFolders([ws]);
      const registry = new LabRegistry(fakeCtx([join(base, 'my-labs'), join(base, 'nowhere')]));
      const found = registry.refresh();
      assert.equal(found?.lab.manifest.id, 'softmax-lab');
      assert.equal(found?.lab.checksSource, join(labDir, 'checks.ts'));
      assert.ok(registry.labs.labs.some((l) => l.manifest.id === '01-attention'));
      assert.ok(fake.shown.some((m) => /transformerLabs\.labPaths.*nowhere: does not exist/.test(JSON.stringify(m))), JSON.stringify(fake.shown));
    });

    it('finds a lab in the second folder when the first holds none', () => {
      const notes = folder('notes', undefined, 'README.md');
      const lab2 = folder('lab2', '02-transformer-block');
      fake.setFolders([notes, lab2]);
      const registry = new LabRegistry(fakeCtx());
      assert.equal(registry.refresh()?.dir, lab2);
      assert.equal(fake.context.get('transformerLabs.labOpen'), true);
      assert.equal(fake.context.get('transformerLabs.severalLabFolders'), false);
      assert.equal(fake.shown.length, 0, 'one lab folder: nothing to ask');
    });

    it('with two lab folders, says which one is checked (once), and the choice is remembered', async () => {
      const lab1 = folder('lab1', '01-attention');
      const lab2 = folder('lab2', '02-transformer-block');
      fake.setFolders([lab1, lab2]);
      const registry = new LabRegistry(fakeCtx());
      fake.buttonAnswers.push('Choose Lab Folder');
      fake.pickAnswers.push('lab2');
      assert.equal(registry.refresh()?.dir, lab1);
      assert.equal(fake.context.get('transformerLabs.severalLabFolders'), true);
      assert.equal(fake.shown.length, 1);
      assert.match(fake.shown[0].message, /2 lab folders: lab1 \(.*Attention.*\), lab2 \(.*\)\. Checking lab1\./i);
      assert.deepEqual(fake.shown[0].items, ['Choose Lab Folder']);
      // The button's answer opens the picker; the pick switches the registry.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      assert.equal(fake.quickPicks.length, 1);
      assert.deepEqual(fake.quickPicks[0].items.map((i) => i.label), ['lab1', 'lab2']);
      assert.equal(registry.current?.dir, lab2);
      assert.equal(fake.context.get('transformerLabs.activeLabOrder'), 2);
      // Refreshing again keeps the choice and does not ask again.
      assert.equal(registry.refresh()?.dir, lab2);
      assert.equal(fake.shown.length, 1);
    });

    it('tells again when the set of lab folders changes', () => {
      const lab1 = folder('lab1', '01-attention');
      const lab2 = folder('lab2', '02-transformer-block');
      const lab3 = folder('lab3', '03-positional-encodings');
      fake.setFolders([lab1, lab2]);
      const registry = new LabRegistry(fakeCtx());
      registry.refresh();
      registry.refresh();
      assert.equal(fake.shown.length, 1);
      fake.setFolders([lab1, lab2, lab3]);
      registry.refresh();
      assert.equal(fake.shown.length, 2);
      assert.match(fake.shown[1].message, /3 lab folders/);
    });
  });

  describe('chooseActiveLab', () => {
    it('keeps a remembered folder that is still there, else takes the first and flags several', () => {
      const f = [{ dir: '/a' }, { dir: '/b' }];
      assert.deepEqual(chooseActiveLab(f, '/b'), { active: f[1], ambiguous: false });
      assert.deepEqual(chooseActiveLab(f, '/gone'), { active: f[0], ambiguous: true });
      assert.deepEqual(chooseActiveLab([f[0]]), { active: f[0], ambiguous: false });
      assert.deepEqual(chooseActiveLab([]), { active: undefined, ambiguous: false });
    });
  });

  describe('Open Lab\'s folder', () => {
    it('considers every folder: the one already holding the lab, then empty ones, not just the first', () => {
      const notes = folder('notes', undefined, 'README.md');
      const empty = folder('empty');
      const lab3 = folder('lab3', '03-positional-encodings');
      assert.deepEqual(foldersForLab([notes, empty, lab3], '03-positional-encodings'), [
        { dir: lab3, fit: 'same-lab' },
        { dir: empty, fit: 'empty' },
      ]);
      assert.deepEqual(foldersForLab([notes, lab3], '01-attention'), []);
    });

    it('judges each folder: its own lab, another lab, hidden files only, visible files, a broken marker, a missing folder', () => {
      const lab3 = folder('lab3', '03-positional-encodings');
      assert.equal(folderFit(lab3, '03-positional-encodings'), 'same-lab');
      assert.equal(folderFit(lab3, '01-attention'), 'taken', 'another lab, though it shows no visible file');
      assert.equal(folderFit(folder('dotfiles', undefined, '.gitignore'), '01-attention'), 'empty', 'hidden files do not count');
      assert.equal(folderFit(folder('notes', undefined, 'README.md'), '01-attention'), 'taken');
      assert.equal(folderFit(folder('dotted', undefined, 'notes.'), '01-attention'), 'taken', 'a name ending in a dot is visible');
      const broken = folder('broken');
      mkdirSync(join(broken, '.transformer-labs'));
      writeFileSync(join(broken, MARKER_FILE), '{ not json');
      assert.equal(folderFit(broken, '01-attention'), 'empty', 'a broken marker is no lab, and does not throw');
      assert.equal(folderFit(join(base, 'no-such-folder'), '01-attention'), 'taken');
    });

    it('uses the only empty folder even when it is not the first', async () => {
      const notes = folder('notes', undefined, 'README.md');
      const empty = folder('empty');
      fake.setFolders([notes, empty]);
      const lab = { manifest: { id: '01-attention', title: 'Attention' } } as Parameters<typeof pickFolder>[0];
      assert.equal(await pickFolder(lab), empty);
      assert.equal(fake.quickPicks.length, 0);
    });

    it('asks when several folders fit', async () => {
      const a = folder('a');
      const b = folder('b');
      fake.setFolders([a, b]);
      fake.pickAnswers.push('b');
      const lab = { manifest: { id: '01-attention', title: 'Attention' } } as Parameters<typeof pickFolder>[0];
      assert.equal(await pickFolder(lab), b);
      assert.deepEqual(fake.quickPicks[0].items.map((i) => i.label), ['a', 'b', 'Choose another folder…']);
    });
  });
});
