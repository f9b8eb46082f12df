// The merge tree of one token: which pair formed it, and which pairs formed those, down to the
// bytes. Laid out bottom-up: bytes are leaves in reading order, a merge sits above the middle of
// its two parts. Pure (unit-tested in Node).

export interface TreeNode {
  id: number;
  text: string;
  /** Its merge's rank (id − 256); undefined for a byte. */
  rank?: number;
  left?: TreeNode;
  right?: TreeNode;
}

export interface PlacedNode {
  node: TreeNode;
  /** Horizontal position in leaf units (leaves at 0, 1, 2, …). */
  x: number;
  /** 0 for the root, growing downwards. */
  depth: number;
  parent?: PlacedNode;
}

/**
 * The tree of `id` from the payload's merge table. Ids without a merge are leaves (bytes);
 * `maxNodes` bounds the work on a malformed table (a cycle cannot occur: parts have smaller ids).
 */
export function buildTree(id: number, merges: Record<string, [number, number]>, pieces: Record<string, string>, maxNodes = 2000): TreeNode {
  let count = 0;
  const build = (x: number): TreeNode => {
    if (++count > maxNodes) return { id: x, text: pieces[x] ?? '?' };
    const m = merges[x];
    if (!m || m[0] >= x || m[1] >= x) return { id: x, text: pieces[x] ?? '?' };
    return { id: x, text: pieces[x] ?? '?', rank: x - 256, left: build(m[0]), right: build(m[1]) };
  };
  return build(id);
}

/** Every node with its position; leaves left to right, parents centred over their children. */
export function layoutTree(root: TreeNode): { placed: PlacedNode[]; leaves: number; depth: number } {
  const placed: PlacedNode[] = [];
  let leaf = 0;
  let maxDepth = 0;
  const visit = (n: TreeNode, depth: number, parent?: PlacedNode): PlacedNode => {
    maxDepth = Math.max(maxDepth, depth);
    const p: PlacedNode = { node: n, x: 0, depth, parent };
    placed.push(p);
    if (n.left && n.right) {
      const l = visit(n.left, depth + 1, p);
      const r = visit(n.right, depth + 1, p);
      p.x = (l.x + r.x) / 2;
    } else {
      p.x = leaf++;
    }
    return p;
  };
  visit(root, 0);
  return { placed, leaves: leaf, depth: maxDepth };
}

/** The merges of the tree, earliest first: (rank, id, left, right). */
export function mergeSteps(root: TreeNode): { rank: number; id: number; left: TreeNode; right: TreeNode; node: TreeNode }[] {
  const out: { rank: number; id: number; left: TreeNode; right: TreeNode; node: TreeNode }[] = [];
  const seen = new Set<number>();
  const visit = (n: TreeNode) => {
    if (!n.left || !n.right || n.rank === undefined) return;
    visit(n.left);
    visit(n.right);
    if (!seen.has(n.id)) {
      seen.add(n.id);
      out.push({ rank: n.rank, id: n.id, left: n.left, right: n.right, node: n });
    }
  };
  visit(root);
  return out.sort((a, b) => a.rank - b.rank);
}
