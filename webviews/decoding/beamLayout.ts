// Where each node of a beam-search tree goes: one column per step, and within a column the
// children under their parent's row, most probable first. Pure (unit-tested in Node).
import type { BeamTreeNode } from '../../core/protocol/views/decodingView';

export interface PlacedNode extends BeamTreeNode {
  col: number;
  row: number;
}

export function layoutBeamTree(nodes: BeamTreeNode[]): { placed: PlacedNode[]; cols: number; rows: number } {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const steps = [...new Set(nodes.map((n) => n.step))].sort((a, b) => a - b);
  const rowOf = new Map<number, number>();
  let rows = 0;
  const placed: PlacedNode[] = [];
  steps.forEach((step, col) => {
    const here = nodes
      .filter((n) => n.step === step)
      .sort((a, b) => (rowOf.get(a.parent) ?? -1) - (rowOf.get(b.parent) ?? -1) || b.logProb - a.logProb || a.id - b.id);
    here.forEach((n, row) => {
      rowOf.set(n.id, row);
      placed.push({ ...n, col, row });
    });
    rows = Math.max(rows, here.length);
  });
  // A parent missing from the list (a malformed tree) is treated as the root.
  for (const p of placed) if (p.parent !== -1 && !byId.has(p.parent)) p.parent = -1;
  return { placed, cols: steps.length, rows };
}

/** The path of nodes from the root to `id` (inclusive), for highlighting the best beam. */
export function pathTo(nodes: BeamTreeNode[], id: number): Set<number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path = new Set<number>();
  let cur = byId.get(id);
  while (cur && !path.has(cur.id)) {
    path.add(cur.id);
    cur = byId.get(cur.parent);
  }
  return path;
}
