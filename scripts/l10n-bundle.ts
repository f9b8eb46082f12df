// The host's messages for translators: every string the extension passes to vscode.l10n.t, and to
// t() of core/l10n.ts in core/ and in the host files kept free of vscode (those import it through
// src/l10n.ts; activation makes t call vscode.l10n.t),
// as l10n/bundle.l10n.json (package.json's "l10n" points VS Code at that folder; a translation is a
// copy named bundle.l10n.<language>.json with the values translated). The l10n unit test fails
// when the file is out of date or a call's message is not a string literal (a key VS Code could
// not look up).
//
//   npm run l10n      (rewrites l10n/bundle.l10n.json)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { webviewMessages } from './l10n-webviews';

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

/**
 * The names `file` gives the l10n module's t (`import { t } from '../l10n'`, or `t as tr`): src/l10n.ts
 * or core/l10n.ts, by relative path. Only a file that imports it, and only under that name, counts:
 * a `t(` of anything else (a test helper, a callback's parameter) is no message.
 */
export function importedT(text: string, file: string, l10nModules: readonly string[]): { names: string[]; otherImport: boolean } {
  const names: string[] = [];
  let otherImport = false;
  const isL10n = (spec: string) => spec.startsWith('.') && l10nModules.includes(resolve(dirname(file), spec));
  for (const m of text.matchAll(/^import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm)) {
    if (!isL10n(m[2])) continue;
    for (const spec of m[1].split(',')) {
      const [name, local] = spec.trim().split(/\s+as\s+/);
      if (name === 't') names.push(local ?? name);
    }
  }
  // `import * as l10n` would call l10n.t(…), which the scan below does not see: its messages would
  // be missing from the bundle without a word, so that form is a problem instead.
  for (const m of text.matchAll(/^import\s+(?:\*\s+as\s+)?[\w$]+\s+from\s*['"]([^'"]+)['"]/gm)) if (isL10n(m[1])) otherImport = true;
  return { names, otherImport };
}

/** Where each call of `callee` starts in `text` (just past its parenthesis), outside line comments. */
function callSites(text: string, callee: RegExp): { at: number; open: number }[] {
  return [...text.matchAll(callee)].flatMap((m) => {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    // A comment line may name the function ("t() of src/l10n.ts"): that is no call.
    if (/^\s*(?:\/\/|\/?\*)/.test(text.slice(lineStart, m.index))) return [];
    return [{ at: m.index, open: m.index + m[0].length }];
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every message passed to vscode.l10n.t, or to the l10n module's t in a file that imports it, under
 * `root`/src and `root`/core, sorted, and the calls whose message is not a literal.
 */
export function l10nMessages(root: string): { messages: string[]; problems: string[] } {
  const messages = new Set<string>();
  const problems: string[] = [];
  const l10nModules = [join(root, 'src', 'l10n'), join(root, 'core', 'l10n')];
  for (const file of [...hostFiles(join(root, 'src')), ...hostFiles(join(root, 'core'))]) {
    const text = readFileSync(file, 'utf8');
    const callees: [string, RegExp][] = [[CALL.slice(0, -1), new RegExp(escapeRe(CALL), 'g')]];
    const { names, otherImport } = importedT(text, file, l10nModules);
    if (otherImport) problems.push(`${relative(root, file)}: import t from the l10n module by name (import { t } from '…/l10n')`);
    for (const name of names) callees.push([name, new RegExp(`(?<![\\w$.])${escapeRe(name)}\\(`, 'g')]);
    for (const [callee, re] of callees) {
      for (const { at, open } of callSites(text, re)) {
        let i = open;
        while (/\s/.test(text[i])) i++;
        const literal = readLiteral(text, i);
        const next = literal ? text.slice(literal.end).trimStart()[0] : undefined;
        if (!literal || (next !== ',' && next !== ')')) {
          problems.push(`${relative(root, file)}:${text.slice(0, at).split('\n').length}: ${callee} needs its message as one string literal`);
        } else messages.add(literal.value);
      }
    }
  }
  return { messages: [...messages].sort(), problems };
}

/** The bundle's text: each message mapped to itself (the English original). */
export function l10nBundleText(messages: string[]): string {
  return `${JSON.stringify(Object.fromEntries(messages.map((m) => [m, m])), null, 2)}\n`;
}

/** What the bundle holds: the host's messages and the webview panels', which get vscode.l10n.bundle from the host. */
export function bundleMessages(root: string): { messages: string[]; problems: string[] } {
  const host = l10nMessages(root);
  const pages = webviewMessages(root);
  return { messages: [...new Set([...host.messages, ...pages.messages])].sort(), problems: [...host.problems, ...pages.problems] };
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const { messages, problems } = bundleMessages(root);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  mkdirSync(join(root, 'l10n'), { recursive: true });
  writeFileSync(join(root, 'l10n', 'bundle.l10n.json'), l10nBundleText(messages));
  console.log(`l10n/bundle.l10n.json: ${messages.length} messages`);
}
