// Localization (issue 18): every user-visible string of the manifest comes from package.nls.json,
// and the host's messages in the converted files go through vscode.l10n.t (no literal left).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { l10nBundleText, l10nMessages } from '../../../scripts/l10n-bundle';

const root = repoRoot();
const pkgText = readFileSync(join(root, 'package.json'), 'utf8');
const pkg = JSON.parse(pkgText);
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** The manifest's user-visible strings, with where they are. */
function visibleStrings(): [string, string][] {
  const c = pkg.contributes;
  const out: [string, string][] = [['displayName', pkg.displayName], ['description', pkg.description]];
  for (const cmd of c.commands) out.push([`${cmd.command} title`, cmd.title], [`${cmd.command} category`, cmd.category]);
  out.push(['configuration title', c.configuration.title]);
  for (const [k, p] of Object.entries<Record<string, unknown>>(c.configuration.properties)) {
    for (const f of ['description', 'markdownDescription']) if (p[f] !== undefined) out.push([`${k} ${f}`, p[f] as string]);
    ((p.enumDescriptions as string[] | undefined) ?? []).forEach((d, i) => out.push([`${k} enumDescriptions[${i}]`, d]));
  }
  for (const w of c.walkthroughs) {
    out.push([`walkthrough ${w.id} title`, w.title], [`walkthrough ${w.id} description`, w.description]);
    for (const s of w.steps) out.push([`step ${s.id} title`, s.title], [`step ${s.id} description`, s.description]);
  }
  out.push(['untrustedWorkspaces description', pkg.capabilities.untrustedWorkspaces.description]);
  return out;
}

/** Every host file that imports vscode: each message, title or button it shows goes through vscode.l10n.t. */
function hostFiles(dir = join(root, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return hostFiles(path);
    return e.name.endsWith('.ts') && /from 'vscode'/.test(readFileSync(path, 'utf8')) ? [relative(root, path)] : [];
  });
}
const CONVERTED = hostFiles();

describe('localization', () => {
  it('every user-visible manifest string is a %key% from package.nls.json', () => {
    for (const [where, value] of visibleStrings()) {
      const key = /^%([^%]+)%$/.exec(value)?.[1];
      assert.ok(key, `${where} is a literal: "${value}"`);
      assert.ok(nls[key] && nls[key].trim().length > 0, `${where}: %${key}% is not in package.nls.json`);
    }
  });

  it('every %key% in package.json exists in package.nls.json, and package.nls.json has no unused key', () => {
    const used = new Set([...pkgText.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]));
    for (const k of used) assert.ok(k in nls, `%${k}% is missing from package.nls.json`);
    for (const k of Object.keys(nls)) assert.ok(used.has(k), `package.nls.json has "${k}", which package.json does not use`);
  });

  it('no host file shows a message, title or button as a literal', () => {
    assert.ok(CONVERTED.length >= 20, `found only ${CONVERTED.length} host files`);
    const literal = /(show(?:Information|Warning|Error)Message\(\s*['`]|\b(?:title|openLabel|placeHolder|prompt|busyReason|tooltip|description|detail|message|unavailable): (?:[^'`\n,]*[?:] )?['`]|\.(?:text|tooltip) = ['`]|\blabel: '[A-Z$])/;
    for (const file of CONVERTED) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => assert.doesNotMatch(line, literal, `${file}:${i + 1}: ${line.trim()}`));
    }
  });

  it('every vscode.l10n.t message is a string literal, and l10n/bundle.l10n.json holds exactly those messages (npm run l10n)', () => {
    const { messages, problems } = l10nMessages(root);
    assert.deepEqual(problems, []);
    assert.ok(messages.length >= 150, `only ${messages.length} messages found`);
    assert.ok(messages.includes('a number, e.g. 12.69, 4e10 or 3,152,384') && messages.includes('{0}\nHint: {1}'), 'the extractor reads escapes and commas inside a message');
    assert.equal(pkg.l10n, './l10n', 'package.json points VS Code at the bundles');
    assert.equal(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8'), l10nBundleText(messages), 'l10n/bundle.l10n.json is out of date: run npm run l10n');
  });
});
