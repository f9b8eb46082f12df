import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findFunctionRanges } from '../../../src/checks/functionRanges';
import { repoRoot } from '../../support/repoRoot';

describe('findFunctionRanges', () => {
  it('finds every exercise function of the real Lab 1 starter, on its name', () => {
    const root = repoRoot(__dirname);
    const manifest = JSON.parse(readFileSync(join(root, 'labs/01-attention/lab.json'), 'utf8')) as { files: { functions: string[] }[] };
    const text = readFileSync(join(root, 'labs/01-attention/starter/attention.ts'), 'utf8');
    const names = manifest.files[0].functions;
    const found = findFunctionRanges(text, names);
    assert.deepEqual([...found.keys()].sort(), [...names].sort());
    const lines = text.split(/\r?\n/);
    for (const r of found.values()) {
      assert.equal(lines[r.line].slice(r.start, r.end), r.name);
    }
  });

  it('takes any run of spaces or tabs between the words, a generator star with or without one, and nothing mid-line', () => {
    const lines = [
      'export  function  softmax(x: number[]) {}',
      'export async \t function attend() {}',
      'export function*keys() {}',
      '\texport const  scale = 1;',
      'export\tlet\tbias: number = 0;',
      'export  var  gain = 2;',
      '//export const hidden1 = 1;',
      'const a = 1; export const hidden2 = 2;',
    ];
    const found = findFunctionRanges(lines.join('\n'), ['softmax', 'attend', 'keys', 'scale', 'bias', 'gain', 'hidden1', 'hidden2']);
    assert.deepEqual([...found.keys()], ['softmax', 'attend', 'keys', 'scale', 'bias', 'gain']);
    for (const r of found.values()) assert.equal(lines[r.line].slice(r.start, r.end), r.name);
  });

  it('handles const arrow functions, async and generic functions, CRLF and indentation', () => {
    const text = [
      '// export function softmax in a comment does not count',
      'export const softmax = (xs: number[]) => xs;',
      '  export async function attention<T>(q: T) {}',
      'export let attendOne: (q: number[]) => number[] = (q) => q;',
    ].join('\r\n');
    const found = findFunctionRanges(text, ['softmax', 'attention', 'attendOne']);
    assert.deepEqual(found.get('softmax'), { name: 'softmax', line: 1, start: 13, end: 20 });
    assert.deepEqual(found.get('attention'), { name: 'attention', line: 2, start: 24, end: 33 });
    assert.deepEqual(found.get('attendOne'), { name: 'attendOne', line: 3, start: 11, end: 20 });
  });

  it('ignores names that are not asked for, not exported, or only prefixes', () => {
    const text = 'function softmax() {}\nexport function softmaxStable() {}\nexport function helper() {}\n';
    const found = findFunctionRanges(text, ['softmax', 'attention']);
    assert.equal(found.size, 0);
  });

  it('keeps the first definition when a name is exported twice', () => {
    const text = 'export function softmax() {}\nexport function softmax() {}\n';
    assert.equal(findFunctionRanges(text, ['softmax']).get('softmax')?.line, 0);
  });
});
