// The webview panels in the learner's language: every word a panel shows goes through t() from
// webviews/shared/l10n.ts as one string literal (a key a translation can be found under), the host
// puts vscode.l10n.bundle into the page without opening a way around the CSP, and t() finds the
// translation there and fills its placeholders as vscode.l10n.t does.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { englishLiterals, webviewMessages } from '../../../scripts/l10n-webviews';
import { L10N_BUNDLE_ID as HOST_BUNDLE_ID, panelHtml } from '../../../src/panels/webviewHtml';
import { format, L10N_BUNDLE_ID, parseBundle, translate } from '../../../webviews/shared/l10n';

const root = repoRoot();
/** What the pages had when they were converted (441), less a little for wording merged later. */
const MIN_MESSAGES = 420;

/** One copy of webviews/ for the whole file, to spoil a file in and put it back. */
let copyRoot: string | undefined;
after(() => copyRoot && rmSync(copyRoot, { recursive: true, force: true }));

function withSpoiledCopy<T>(file: string, from: string, to: string, run: (copy: string) => T): T {
  if (!copyRoot) {
    copyRoot = mkdtempSync(join(tmpdir(), 'l10n-webviews-'));
    cpSync(join(root, 'webviews'), join(copyRoot, 'webviews'), { recursive: true });
  }
  const path = join(copyRoot, 'webviews', file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} still has ${from}`);
  writeFileSync(path, text.replace(from, to));
  try {
    return run(copyRoot);
  } finally {
    writeFileSync(path, text);
  }
}

describe('webview panels: localized text', () => {
  it('passes every message to t() as one string literal', () => {
    const { messages, problems } = webviewMessages(root);
    assert.deepEqual(problems, []);
    assert.ok(messages.length >= MIN_MESSAGES, `${messages.length} messages, expected at least ${MIN_MESSAGES}`);
    assert.ok(messages.includes('Show tables') && messages.includes('{0}: computed by your code at {1}.'));
  });

  it('refuses a message built with a template or a concatenation', () => {
    const problems = withSpoiledCopy('shared/labViewApp.ts', "t('Go to {0}()', name)", 't(`Go to ${name}()`)', (copy) => webviewMessages(copy).problems);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^webviews\/shared\/labViewApp\.ts:\d+: t\( needs its message as one string literal/);
    const concat = withSpoiledCopy('quiz/main.ts', "t('Choose one answer')", "t('Choose ' + 'one answer')", (copy) => webviewMessages(copy).problems);
    assert.equal(concat.length, 1);
  });

  it('leaves no English literal where a panel shows text', () => {
    assert.deepEqual(englishLiterals(root), []);
  });

  it('finds a converted string turned back into a literal (children, attributes, helpers, ternaries, pure modules)', () => {
    const cases: [string, string, string, RegExp][] = [
      ['training/main.ts', "t('Start fine-tuning')", "'Start fine-tuning'", /training\/main\.ts:\d+: "Start fine-tuning"/],
      ['shared/labViewApp.ts', "showTables ? t('Hide tables') : t('Show tables');", "showTables ? 'Hide tables' : 'Show tables';", /"Hide tables"/],
      ['tokens/main.ts', "'aria-label': t('Text to tokenize')", "'aria-label': 'Text to tokenize'", /"Text to tokenize"/],
      ['quiz/main.ts', "placeholder: q.kind === 'numeric' ? t('a number, e.g. 12.69, 4e10 or 3,152,384') : t('a short answer')", "placeholder: q.kind === 'numeric' ? t('a number, e.g. 12.69, 4e10 or 3,152,384') : 'a short answer'", /"a short answer"/],
      ['block/main.ts', "numberField(t('Blocks'),", "numberField('Blocks',", /"Blocks"/],
      ['decoding/main.ts', "[['greedy', t('greedy')]", "[['greedy', 'greedy']", /"greedy"/],
      ['positions/main.ts', "[t('position'), t('x (yours)')", "['position', t('x (yours)')", /"position"/],
      ['attention/labels.ts', "t('Your attention weights')", "'Your attention weights'", /labels\.ts:\d+: "Your attention weights"/],
      ['training/charts.ts', "title: t('Loss')", "title: 'Loss'", /"Loss"/],
      ['profile/main.ts', "t('Done.')", '`Done.`', /"Done\."/],
    ];
    for (const [file, from, to, expected] of cases) {
      const found = withSpoiledCopy(file, from, to, (copy) => englishLiterals(copy));
      assert.ok(found.length > 0 && found.every((f) => f.startsWith(`webviews/${file}:`)), `${file}: ${to} → ${found.join('; ')}`);
      assert.ok(found.some((f) => expected.test(f)), `${file}: ${found.join('; ')}`);
    }
  });
});

describe('webview panels: the translation bundle in the page', () => {
  const parts = { cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x.vscode-cdn.net/a.js', styleUri: 'https://x.vscode-cdn.net/a.css', nonce: 'abc123', title: 'T' };
  const blockOf = (html: string) => /<script type="application\/json" id="l10n-bundle">([\s\S]*?)<\/script>/.exec(html)?.[1];

  it('embeds the bundle as data that no message can close early', () => {
    const bundle = { 'Show tables': 'Tabellen zeigen', 'a</script><script>alert(1)</script>': 'b <!-- c </SCRIPT', '{0} < {1}': '{1} > {0}' };
    const html = panelHtml({ ...parts, l10nBundle: bundle });
    assert.equal(HOST_BUNDLE_ID, L10N_BUNDLE_ID);
    const block = blockOf(html);
    assert.ok(block, 'the data block is there');
    assert.ok(!block.includes('<'), 'no "<" inside the block');
    assert.deepEqual(JSON.parse(block), bundle);
    // The page script is still the only one that runs, and it comes after the data it reads.
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script type="application/json" id="l10n-bundle">', '<script nonce="abc123" src="https://x.vscode-cdn.net/a.js">']);
    assert.doesNotMatch(html, /alert\(1\)<\/script>/);
    assert.match(html, /script-src 'nonce-abc123'/);
  });

  it('embeds nothing in English (no bundle, or an empty one)', () => {
    for (const l10nBundle of [undefined, {}]) {
      const html = panelHtml({ ...parts, l10nBundle });
      assert.ok(!html.includes('l10n-bundle'));
      assert.deepEqual(html.match(/<script[^>]*>/g), ['<script nonce="abc123" src="https://x.vscode-cdn.net/a.js">']);
    }
  });

  it("says the host's language in <html lang>, and English for anything that is not a language tag", () => {
    assert.match(panelHtml(parts), /<html lang="en">/);
    assert.match(panelHtml({ ...parts, language: 'de' }), /<html lang="de">/);
    assert.match(panelHtml({ ...parts, language: 'zh-cn' }), /<html lang="zh-cn">/);
    assert.match(panelHtml({ ...parts, language: '"><script>' }), /<html lang="en">/);
  });
});

describe('webview panels: t()', () => {
  it('fills {0}-style placeholders as vscode.l10n.t does', () => {
    assert.equal(format('{0} of {1} answered', [2, 6]), '2 of 6 answered');
    assert.equal(format('{1} before {0}', ['a', 'b']), 'b before a');
    assert.equal(format('{0} and {0}', [true]), 'true and true');
    assert.equal(format('{0} and {2}', ['x']), 'x and {2}', 'a missing argument stays as written');
    assert.equal(format('like {"scores": [1]} and {0}', []), 'like {"scores": [1]} and {0}', 'no arguments: no formatting');
    assert.equal(format('{0}', ['$&']), '$&', 'an argument is inserted as it is');
  });

  it('looks the message up in the bundle, English when it is not there', () => {
    const bundle = { 'Layer {0}, head {1}': 'Kopf {1} der Schicht {0}', Done: 'Fertig' };
    assert.equal(translate(bundle, 'Layer {0}, head {1}', [2, 3]), 'Kopf 3 der Schicht 2');
    assert.equal(translate(bundle, 'Done'), 'Fertig');
    assert.equal(translate(bundle, 'Cancelled.'), 'Cancelled.');
    assert.equal(translate(undefined, 'Score: {0}', [1]), 'Score: 1');
    assert.equal(translate({}, 'constructor'), 'constructor', "not Object.prototype's");
    assert.equal(translate({}, 'toString {0}', ['x']), 'toString x');
  });

  it('reads only an object of strings from the page', () => {
    assert.equal(parseBundle(undefined), undefined);
    assert.equal(parseBundle(''), undefined);
    assert.equal(parseBundle('{not json'), undefined);
    assert.equal(parseBundle('["a"]'), undefined);
    assert.deepEqual(parseBundle('{"a": "b", "n": 1, "o": {}}'), { a: 'b' });
  });

  it('translates from the block panelHtml wrote, read once per page', () => {
    const html = panelHtml({ cspSource: 'https://x', scriptUri: 'https://x/a.js', styleUri: 'https://x/a.css', nonce: 'n', title: 'T', l10nBundle: { 'Show tables': 'Tabellen </script> zeigen', 'Go to {0}()': 'Zu {0}()' } });
    const block = /<script type="application\/json" id="l10n-bundle">([\s\S]*?)<\/script>/.exec(html)![1];
    const g = globalThis as { document?: unknown };
    const modulePath = require.resolve('../../../webviews/shared/l10n');
    let reads = 0;
    g.document = { getElementById: (id: string) => (reads++, id === L10N_BUNDLE_ID ? { textContent: block } : null) };
    delete require.cache[modulePath];
    try {
      const fresh = require(modulePath) as typeof import('../../../webviews/shared/l10n');
      assert.equal(fresh.t('Show tables'), 'Tabellen </script> zeigen');
      assert.equal(fresh.t('Go to {0}()', 'attention'), 'Zu attention()');
      assert.equal(fresh.t('Hide tables'), 'Hide tables');
      assert.equal(reads, 1);
    } finally {
      delete g.document;
      delete require.cache[modulePath];
    }
  });
});
