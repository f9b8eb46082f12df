// Localization (issue 18): every user-visible string of the manifest comes from package.nls.json,
// the host's messages in the files that import vscode go through vscode.l10n.t, and those of the
// vscode-free host files and of core/ through t() of core/l10n.ts (no literal left in either).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { bundleMessages, importedT, l10nBundleText, l10nMessages } from '../../../scripts/l10n-bundle';
import { formatMessage, t, useTranslator, type Translator } from '../../../src/l10n';
import { SidecarClient } from '../../../core/compute/sidecarClient';
import { describeContainment } from '../../../core/compute/containmentText';
import { checkRow, quizRow } from '../../../core/course/courseRows';
import { gradeReportMarkdown, type GradeReport } from '../../../core/grading/gradeReport';
import { verdictText } from '../../../core/quiz/quizAnswers';
import { checkAnswer } from '../../../core/quiz/scoring';
import type { Question } from '../../../core/quiz/quizSchema';
import { lensTitle } from '../../../src/checks/summary';
import { failedRun } from '../../../src/panels/panelMessages';
import { parseTrainingInput } from '../../../src/panels/trainingData';

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

/** The host files without vscode (unit-tested in plain Node): their messages go through src/l10n.ts's t. */
function vscodeFreeFiles(dir = join(root, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return vscodeFreeFiles(path);
    return e.name.endsWith('.ts') && !/from 'vscode'/.test(readFileSync(path, 'utf8')) ? [relative(root, path)] : [];
  });
}
/** What may stay English, and why. */
const ENGLISH_ONLY: Record<string, string> = {
  'src/checks/runTrace.ts': 'one debug line per run in the compute log, for whoever measures timings (log lines stay English)',
};

/** core/ folders whose messages stay English, and why (core/l10n.ts says the same). */
const CORE_ENGLISH_DIRS: Record<string, string> = {
  'core/checks/': "the check API's and assertions' messages: they run in the sidecar's worker (no vscode.l10n), lab content like the instructions",
  'core/protocol/': 'type definitions of the messages between host, sidecar and panels',
};
/** core/ files whose messages stay English, and why. */
const CORE_ENGLISH_FILES: Record<string, string> = {
  'core/l10n.ts': 'the translator itself',
  'core/zod.ts': "the schemas' English messages, for lab authors",
  'core/labs/manifest.ts': "lab.json's schema: its messages are for lab authors",
  'core/labs/schemaMessages.ts': 'schema internals: the field path of a schema issue',
  'core/quiz/quizSchema.ts': "quiz.json's schema: its messages are for lab authors",
  'core/labs/newLab.ts': '`transformer-labs new-lab`: a lab-authoring tool of the CLI',
  'core/labs/newLabFiles.ts': 'the files `transformer-labs new-lab` writes',
  'core/labs/validateLab.ts': '`transformer-labs validate`: a lab-authoring tool of the CLI',
  'core/labs/learnerCopy.ts': 'the learner build of the CLI, for instructors',
  'core/grading/classGrading.ts': '`transformer-labs grade-all`: the instructor\'s class grading, CLI only',
  'core/grading/classReport.ts': "grade-all's class report, CLI only",
  'core/grading/submissions.ts': "grade-all's submissions, CLI only",
  'core/grading/zipReader.ts': "grade-all's zip reader, CLI only",
  'core/grading/gradeReportText.ts': "`transformer-labs grade`'s terminal report, CLI only",
  'core/profiler/profileText.ts': "`transformer-labs profile`'s terminal table, CLI only",
  'core/compute/paths.ts': 'build layout errors of a broken install, for developers',
  'core/compute/sandboxFlags.ts': "the sidecar's Node flags, no message",
};
/** Lines of a scanned core/ file that stay English, and why. */
const CORE_ENGLISH_LINES: Record<string, [RegExp, string]> = {
  'core/compute/gpuProbeResult.ts': [/not chosen automatically/, "autoGpuFrom's reasons: the sidecar decides at its start, where no translator is set"],
  'core/labs/reuse.ts': [/OWN_CODE_HEADER = /, 'a comment written into the learner\'s code, read back to tell own code from the reference'],
};
/** The core/ files the host shows messages of: they go through t() of core/l10n.ts like the vscode-free host files. */
function coreFiles(dir = join(root, 'core')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return coreFiles(path);
    const file = relative(root, path);
    const english = Object.keys(CORE_ENGLISH_DIRS).some((d) => file.startsWith(d)) || CORE_ENGLISH_FILES[file];
    return e.name.endsWith('.ts') && !english ? [file] : [];
  });
}
const CORE = coreFiles();

// A message: an icon, symbol or placeholder may lead, then a word, a space and the next word.
const PROSE = String.raw`(?:\$\{[^}\n]*\}|\$\([\w-]+\)|[✓○✗·—/-]|\*\*|\[|\s)*[A-Za-z(](?:[\w.()’-]|\\')* (?:[A-Za-z(]|\$\{)`;
const Q = `['\`"]`;
// A ternary or condition before the literal (quoted words allowed in it, e.g. === 'object' ?).
const COND = String.raw`(?:(?:[^'\x60"\n;]|'[^'\n]*')*?[?:]\s+)?`;
const FREE_LITERAL = new RegExp(
  [
    // a message function's answer
    String.raw`\breturn\s+${COND}${Q}${PROSE}`,
    // a ternary's branch on a line of its own
    String.raw`^\s*[?:]\s+${Q}${PROSE}`,
    // a message field of a panel message, a result or a runtime
    String.raw`\b(?:message|note|reason|detail|unavailable|description|loadingText|busyReason|activity|title):\s*${COND}${Q}${PROSE}`,
    // a training phase's note (always a sentence)
    String.raw`setPhase\([^,]+,\s*${Q}`,
    // a fallback or default
    String.raw`(?:\?\?|\|\|)\s*${Q}${PROSE}`,
    // a constant or field holding a message
    String.raw`(?:^|[^=!<>])=(?![=>])\s*${COND}${Q}${PROSE}`,
    // a piece pushed into a hover or a Problems entry
    String.raw`\.push\((?:(?:[^'\x60"\n]|'[^'\n]*')*?[,?:]\s*)?${Q}${PROSE}`,
    // an element of a list of lines that starts a sentence
    String.raw`^\s*${Q}(?:\*\*|\$\([\w-]+\) )?[A-Z](?:[\w.’-]|\\')* (?:[A-Za-z(]|\$\{)`,
  ].join('|'),
);
const FREE = vscodeFreeFiles();

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

  it('no vscode-free host file shows a message as a literal: each goes through t() of src/l10n.ts', () => {
    assert.ok(FREE.length >= 15 && FREE.includes('src/panels/trainingController.ts'), `found only ${FREE.length} vscode-free host files`);
    for (const file of FREE) {
      if (ENGLISH_ONLY[file]) continue;
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(?:\/\/|\/?\*)/.test(line)) return;
        assert.doesNotMatch(line, FREE_LITERAL, `${file}:${i + 1}: ${line.trim()}`);
      });
    }
  });

  it('no core/ file the host shows messages of has a message as a literal: each goes through t() of core/l10n.ts', () => {
    for (const f of ['core/course/courseRows.ts', 'core/quiz/scoring.ts', 'core/grading/gradeReport.ts', 'core/compute/sidecarClient.ts', 'core/labs/reusePlan.ts']) {
      assert.ok(CORE.includes(f), `${f} is not scanned`);
    }
    for (const file of [...Object.keys(CORE_ENGLISH_FILES)]) assert.ok(existsSync(join(root, file)), `${file} is listed as English only but does not exist`);
    const found: string[] = [];
    for (const file of CORE) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(?:\/\/|\/?\*)/.test(line) || CORE_ENGLISH_LINES[file]?.[0].test(line)) return;
        if (FREE_LITERAL.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, []);
  });

  it('after useTranslator, core\'s messages go through the translator (quiz, course rows, grade report, sidecar client, containment)', async function () {
    this.timeout(30_000);
    const fake: Translator = (message, ...args) => `[de] ${formatMessage(message.toUpperCase(), args)}`;
    const choice = { id: 'q1', kind: 'choice', prompt: 'p', points: 1, explanation: 'e', computeWith: [], options: [{ id: 'a', text: 'x' }], answer: 'a' } as unknown as Question;
    const report = {
      labTitle: 'Attention', labId: '01-attention', labVersion: '1.0.0', gradedAt: 'now', backend: 'cpu', extensionVersion: '0.1.0', score: 3, maxScore: 4, percent: 75,
      quiz: null, bonus: null, total: { score: 3, maxScore: 4, percent: 75 }, compileErrors: [], typeErrors: null, hintsOpened: {}, checks: [], files: [],
    } as unknown as GradeReport;
    // A sidecar that never answers initialize: the start-up time limit's error, then the one of a client shut down.
    const hangs = async () => {
      const hangsOnStart = join(__dirname, '..', '..', 'fixtures', 'sidecars', 'hangsOnStart.js');
      const client = new SidecarClient({ nodePath: process.execPath, sidecarScript: hangsOnStart, labsDist: __dirname, backend: 'cpu', env: { ANSWER_BACKENDS: '' }, startTimeoutMs: 300 });
      const errors: string[] = [];
      try {
        await client.start().catch((err: Error) => errors.push(err.message));
      } finally {
        await client.dispose();
      }
      await client.start().catch((err: Error) => errors.push(err.message));
      return errors;
    };
    useTranslator(fake);
    try {
      assert.deepEqual(checkAnswer(choice, 'z'), { valid: false, message: '[de] "z" IS NOT ONE OF THE OPTIONS a' });
      assert.equal(verdictText(true, { earned: 2 } as Parameters<typeof verdictText>[1]), '[de] RIGHT: +2 POINTS.');
      assert.equal(quizRow({ score: 0, maxScore: 3, answered: 0, total: 2 }).description, '[de] 3 POINTS TO EARN');
      assert.equal(checkRow({ id: 'c', title: 'sums to one', function: 'softmax', status: 'timeout', bonus: false }).description, '[de] TIMED OUT');
      assert.equal(gradeReportMarkdown(report).split('\n')[0], '[de] # Attention: 3 / 4 POINTS (75%)');
      assert.deepEqual(await hangs(), ['[de] THE COMPUTE SIDECAR DID NOT START WITHIN 0.3 S (BACKEND "cpu")', '[de] THE COMPUTE SIDECAR WAS SHUT DOWN']);
      const off = describeContainment({ permissionModel: { on: false }, os: { networkIsolated: false, how: 'none' } } as unknown as Parameters<typeof describeContainment>[0]);
      assert.match(off[0].text, /^\[de\] NODE'S PERMISSION MODEL IS OFF: \[de\] NOT AVAILABLE\./);
    } finally {
      useTranslator(undefined);
    }
    assert.equal(checkAnswer(choice, '').valid === false && (checkAnswer(choice, '') as { message: string }).message, 'no answer given', 'undefined puts English back');
    assert.equal(gradeReportMarkdown(report).split('\n')[0], '# Attention: 3 / 4 points (75%)');
    assert.deepEqual(await hangs(), ['the compute sidecar did not start within 0.3 s (backend "cpu")', 'the compute sidecar was shut down']);
  });

  it('the literal check sees a converted message turned back into a literal', () => {
    for (const line of [
      "  if (s.total === 0) return 'no visible checks';",
      '    return `○ ${s.passed}/${s.total} — waits for ${s.waitsFor}()`;',
      "    if (!d || typeof d !== 'object') return 'no data';",
      "      : 'the install downloads the TensorFlow C library (libtensorflow) from Google storage',",
      "      this.setPhase('cancelled', 'Cancelled before the run started.');",
      '      this.post({ type: \'feedback\', body: { kind: \'refused\', message: `Not counted: ${r.message}.` } });',
      "const IDLE_NOTE = 'Set the inputs and press Start: fine-tuning runs your code in the compute process.';",
      "  lines.push('', '[Select Backend](command:transformerLabs.selectBackend) · [Show Compute Log](command:transformerLabs.showComputeLog)');",
      '    `**Transformer Labs compute: ${BACKEND_LABEL[b.name]}**`,',
      "  if (!last) return activity ?? 'preparing the data and the model…';",
      '    return { path: onPath, env: {}, description: `node on PATH (Node ${major(version)})`, version, electron: false };',
    ]) {
      assert.match(line, FREE_LITERAL, line);
    }
    for (const line of ["    return 'taken';", '  return `${labId}/${fn}/${checkId}`;', "      reason: 'cancelled' });", '    `img-src ${cspSource} data:`,', "    \"default-src 'none'\","]) {
      assert.doesNotMatch(line, FREE_LITERAL, line);
    }
  });

  it('t() formats {0}, {1} as vscode.l10n.t does: a repeated placeholder each time, one without an argument as written', () => {
    assert.equal(t('{0} must be {1} or {2}, not {3}', 'pooling', 'cls', 'mean', '"max"'), 'pooling must be cls or mean, not "max"');
    assert.equal(t('confusion must be null or {0}×{0} numbers', 2), 'confusion must be null or 2×2 numbers');
    assert.equal(t('{0} of {1} steps', 3), '3 of {1} steps');
    assert.equal(t('no placeholders: {0}'), 'no placeholders: {0}');
    assert.equal(t('{1}{0} {2}', 'a', 0, false), '0a false');
    assert.equal(formatMessage('{0} {01} {x} {}', ['z', 'y']), 'z {01} {x} {}', '{01} is no placeholder to vscode.l10n.t either');
  });

  it('after useTranslator, the vscode-free files\' messages go through the translator', () => {
    const asked: string[] = [];
    const fake: Translator = (message, ...args) => {
      asked.push(message);
      return `[de] ${formatMessage(message.toUpperCase(), args)}`;
    };
    useTranslator(fake);
    try {
      assert.equal(lensTitle({ name: 'softmax', passed: 0, total: 0 }), '[de] NO VISIBLE CHECKS');
      assert.equal(lensTitle({ name: 'softmax', passed: 1, total: 3, waitsFor: 'scores' }), '[de] ○ 1/3 — WAITS FOR scores()');
      const thrown = failedRun({ ok: false, compileErrors: [], error: { message: 'boom', location: { file: 'attention.ts', line: 4, column: 0 } } } as unknown as Parameters<typeof failedRun>[0]);
      assert.equal(thrown.message, '[de] YOUR CODE COULD NOT BE RUN: boom (attention.ts:4)');
      assert.equal(parseTrainingInput({ input: null }), '[de] INPUT MUST BE AN OBJECT');
      assert.ok(asked.includes('Your code could not be run: {0} ({1})'), 'the translator gets the message with its placeholders, the values apart');
    } finally {
      useTranslator(undefined);
    }
    assert.equal(lensTitle({ name: 'softmax', passed: 0, total: 0 }), 'no visible checks', 'undefined puts English back');
  });

  it('the extractor reads t() only in files that import it from src/l10n.ts or core/l10n.ts, under the name imported', () => {
    const file = join(root, 'src', 'panels', 'x.ts');
    const l10n = join(root, 'src', 'l10n');
    assert.deepEqual(importedT("import { t } from '../l10n';\n", file, [l10n]), { names: ['t'], otherImport: false });
    assert.deepEqual(importedT("import { useTranslator, t as tr } from '../l10n';\n", file, [l10n]), { names: ['tr'], otherImport: false });
    assert.deepEqual(importedT("import { t } from './l10n';\nimport { t as u } from 'i18n';\n", file, [l10n]), { names: [], otherImport: false });
    assert.deepEqual(importedT("import * as l10n from '../l10n';\n", file, [l10n]), { names: [], otherImport: true });
    const modules = [l10n, join(root, 'core', 'l10n')];
    assert.deepEqual(importedT("import { t } from '../l10n';\n", join(root, 'core', 'quiz', 'scoring.ts'), modules), { names: ['t'], otherImport: false });
    assert.deepEqual(importedT("import { t } from '../../core/l10n';\n", file, modules), { names: ['t'], otherImport: false });
    assert.deepEqual(importedT("import { t } from '../l10n';\n", join(root, 'core', 'quiz', 'scoring.ts'), [l10n]), { names: [], otherImport: false });
  });

  it('every vscode.l10n.t message is a string literal, and l10n/bundle.l10n.json holds exactly those messages (npm run l10n)', () => {
    const { messages, problems } = l10nMessages(root);
    assert.deepEqual(problems, []);
    assert.ok(messages.length >= 150, `only ${messages.length} messages found`);
    assert.ok(messages.includes('a number, e.g. 12.69, 4e10 or 3,152,384') && messages.includes('{0}\nHint: {1}'), 'the extractor reads escapes and commas inside a message');
    assert.ok(messages.length >= 250, `only ${messages.length} messages: the vscode-free files' t() calls are missing`);
    for (const m of ['no visible checks', "$(shield) Node's permission model is on: learner code cannot write files or start processes.", 'Fine-tuning stopped: {0} ({1})', 'Loading the panel…']) {
      assert.ok(messages.includes(m), `the bundle lacks t()'s "${m}"`);
    }
    for (const m of ['Not right, and no tries left.', 'the compute sidecar {0} while starting', '# {0}: {1} / {2} points ({3}%)', '{0} points to earn']) {
      assert.ok(messages.includes(m), `the bundle lacks core's "${m}"`);
    }
    assert.equal(pkg.l10n, './l10n', 'package.json points VS Code at the bundles');
    const all = bundleMessages(root);
    assert.deepEqual(all.problems, []);
    assert.ok(messages.every((m) => all.messages.includes(m)) && all.messages.length > messages.length, "the bundle holds the host's messages and the webview panels'");
    assert.equal(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8'), l10nBundleText(all.messages), 'l10n/bundle.l10n.json is out of date: run npm run l10n');
  });
});
