// Collects what each fault suite tried and prints one table when the run ends.
export interface FaultRow {
  fault: string;
  tried: number;
  survived: number;
  lostData: number;
}

const rows: FaultRow[] = [];

export function record(row: FaultRow): void {
  rows.push(row);
}

export const mochaHooks = {
  afterAll(): void {
    if (rows.length === 0) return;
    const header = ['fault', 'tried', 'survived', 'lost data'];
    const body = rows.map((r) => [r.fault, String(r.tried), String(r.survived), String(r.lostData)]);
    const w = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(w[i])).join(' | ') + ' |';
    console.log('\n' + line(header));
    console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
    for (const b of body) console.log(line(b));
  },
};
