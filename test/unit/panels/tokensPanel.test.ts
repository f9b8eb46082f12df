// The token panel's pure parts: lining two tokenizations up by bytes, and the merge tree of a
// token (built from the payload's merge table, laid out with leaves in reading order).
import assert from 'node:assert/strict';
import type { TokenPiece } from '../../../core/protocol/views/tokensView';
import { firstMismatch, matches, spans } from '../../../webviews/tokens/alignment';
import { buildTree, layoutTree, mergeSteps } from '../../../webviews/tokens/mergeTree';

const t = (id: number, text: string, bytes = text.length): TokenPiece => ({ id, text, bytes });

describe('token panel: alignment of two tokenizations', () => {
  const ref = [t(1, 'The'), t(2, ' whale'), t(3, '!')];

  it('gives byte spans in order', () => {
    assert.deepEqual(spans(ref), [
      { start: 0, end: 3 },
      { start: 3, end: 9 },
      { start: 9, end: 10 },
    ]);
  });

  it('marks tokens whose id or byte span the other side lacks', () => {
    const mine = [t(1, 'The'), t(7, ' wh'), t(8, 'ale'), t(3, '!')];
    assert.deepEqual(matches(mine, ref), [true, false, false, true]);
    assert.deepEqual(matches(ref, mine), [true, false, true]);
    assert.equal(firstMismatch(mine, ref), 1);
    assert.equal(firstMismatch(ref, ref), -1);
    // Same spans, another id (GPT-2 ids vs raw bytes): still a difference.
    assert.deepEqual(matches([t(9, 'The'), t(2, ' whale'), t(3, '!')], ref), [false, true, true]);
    // A prefix: equal as far as it goes, the missing rest is the first mismatch.
    assert.equal(firstMismatch(ref.slice(0, 2), ref), 2);
  });
});

describe('token panel: merge trees', () => {
  // "the" = ("t" + "he"), "he" = ("h" + "e"); ids as a trained tokenizer would give them.
  const merges = { 256: [104, 101], 300: [116, 256] } as Record<string, [number, number]>;
  const pieces = { 104: 'h', 101: 'e', 116: 't', 256: 'he', 300: 'the' } as Record<string, string>;

  it('builds the tree down to the bytes, with ranks', () => {
    const tree = buildTree(300, merges, pieces);
    assert.equal(tree.rank, 44);
    assert.equal(tree.left!.text, 't');
    assert.equal(tree.right!.rank, 0);
    assert.deepEqual([tree.right!.left!.id, tree.right!.right!.id], [104, 101]);
    assert.equal(buildTree(104, merges, pieces).left, undefined);
  });

  it('lays leaves out in reading order with parents centred over their parts', () => {
    const { placed, leaves, depth } = layoutTree(buildTree(300, merges, pieces));
    assert.equal(leaves, 3);
    assert.equal(depth, 2);
    const at = (id: number) => placed.find((p) => p.node.id === id)!;
    assert.deepEqual([at(116).x, at(104).x, at(101).x], [0, 1, 2]);
    assert.equal(at(256).x, 1.5);
    assert.equal(at(300).x, (0 + 1.5) / 2);
  });

  it('lists the merges earliest first, and stops on a malformed table', () => {
    assert.deepEqual(mergeSteps(buildTree(300, merges, pieces)).map((s) => [s.rank, s.id]), [
      [0, 256],
      [44, 300],
    ]);
    // A merge that names a later id is not followed (no cycles).
    assert.equal(buildTree(256, { 256: [300, 101] }, pieces).left, undefined);
  });
});
