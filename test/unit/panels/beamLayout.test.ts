// The decoding panel's beam tree layout: one column per step, children under their parent.
import assert from 'node:assert/strict';
import type { BeamTreeNode } from '../../../core/protocol/views/decodingView';
import { layoutBeamTree, pathTo } from '../../../webviews/decoding/beamLayout';

const n = (id: number, parent: number, step: number, logProb: number, status: BeamTreeNode['status'] = 'kept'): BeamTreeNode => ({ id, parent, token: String(id), tokenId: id, logProb, step, status });

describe('decoding panel: beam tree layout', () => {
  const nodes = [n(0, -1, 0, 0), n(1, 0, 1, -0.5), n(2, 0, 1, -0.2), n(3, 2, 2, -0.9, 'pruned'), n(4, 1, 2, -0.7), n(5, 2, 2, -0.3, 'finished')];

  it('puts each step in its own column and orders children under their parent, most probable first', () => {
    const { placed, cols, rows } = layoutBeamTree(nodes);
    const at = new Map(placed.map((p) => [p.id, p]));
    assert.equal(cols, 3);
    assert.equal(rows, 3);
    assert.deepEqual([at.get(2)!.row, at.get(1)!.row], [0, 1], 'node 2 (−0.2) above node 1 (−0.5)');
    // node 2's children (5, then 3) come before node 1's child (4)
    assert.deepEqual([at.get(5)!.row, at.get(3)!.row, at.get(4)!.row], [0, 1, 2]);
  });

  it('follows parents back to the root for the best path, and survives a cycle', () => {
    assert.deepEqual([...pathTo(nodes, 5)].sort(), [0, 2, 5]);
    assert.deepEqual([...pathTo([n(1, 2, 1, 0), n(2, 1, 1, 0)], 1)].sort(), [1, 2]);
  });
});
