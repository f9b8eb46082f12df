// The host's messages for translators: every string the extension passes to vscode.l10n.t, as
// l10n/bundle.l10n.json (package.json's "l10n" points VS Code at that folder; a translation is a
// copy named bundle.l10n.<language>.json with the values translated). The l10n unit test fails
// when the file is out of date or a call's message is not a string literal (a key VS Code could
// not look up).
//
//   npm run l10n      (rewrites l10n/bundle.l10n.json)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const CALL = 'vscode.l10n.t(';
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };

/** The string literal that starts at `text[at]` (a quote), unescaped, and where it ends. */
function readLiteral(text: string, at: number): { value: string; end: number } | undefined {
  const quote = text[at];
  if (quote !== "'" && quote !== '"') return undefined;
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') return undefined;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i];
    if (e === 'u') {
      const hex = text[i + 1] === '{' ? text.slice(i + 2, text.indexOf('}', i)) : text.slice(i + 1, i + 5);
      value += String.fromCodePoint(parseInt(hex, 16));
      i += text[i + 1] === '{' ? hex.length + 2 : 4;
    } else value += ESCAPES[e] ?? e;
  }
  return undefined;
}

function hostFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return hostFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every message passed to vscode.l10n.t under `root`/src, sorted, and the calls whose message is not a literal. */
export function l10nMessages(root: string): { messages: string[]; problems: string[] } {
  const messages = new Set<string>();
  const problems: string[] = [];
  for (const file of hostFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (let at = text.indexOf(CALL); at >= 0; at = text.indexOf(CALL, at + CALL.length)) {
      let i = at + CALL.length;
      while (/\s/.test(text[i])) i++;
      const literal = readLiteral(text, i);
      const next = literal ? text.slice(literal.end).trimStart()[0] : undefined;
      if (!literal || (next !== ',' && next !== ')')) {
        problems.push(`${relative(root, file)}:${text.slice(0, at).split('\n').length}: vscode.l10n.t needs its message as one string literal`);
      } else messages.add(literal.value);
    }
  }
  return { messages: [...messages].sort(), problems };
}

/** The bundle's text: each message mapped to itself (the English original). */
export function l10nBundleText(messages: string[]): string {
  return `${JSON.stringify(Object.fromEntries(messages.map((m) => [m, m])), null, 2)}\n`;
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const { messages, problems } = l10nMessages(root);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  mkdirSync(join(root, 'l10n'), { recursive: true });
  writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), l10nBundleText(messages));
  console.log(`l10n/bundle.l10n.json: ${messages.length} messages`);
}
