// A correct Lab 4 written unlike the reference solution passes every check, hidden ones too:
// TextEncoder and a hand-written UTF-8 decoder, reduce and sort in Level 1, merges applied one
// after another; tiktoken's own rule (merge the pair whose joined bytes are the lowest-ranked
// token) and matchAll in Level 2; numeric pair keys and a vocabulary study that trains once per
// size in Level 3. The files are in test/unit/lab04/otherStyle/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOtherStyle } from '../../support/plantedMistakes';
import { repoRoot } from '../../support/repoRoot';
import { FILES, LAB4, setUp } from './support';

const texts = () => Object.fromEntries(FILES.map((f) => [f, readFileSync(join(repoRoot(), 'test', 'unit', 'lab04', 'otherStyle', f), 'utf8')]));

describeOtherStyle('Lab 4 in another style', () => LAB4, texts, setUp);
