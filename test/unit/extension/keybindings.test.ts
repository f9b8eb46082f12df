// The extension's keybindings (package.json) must not take over VS Code's own: Ctrl/Cmd+Alt+Enter
// is Replace All in the find widget and the Search view (and runs a notebook cell on Windows),
// Cmd+Alt+P is Preserve Case in the find widget on macOS. Their `when` clauses are evaluated
// against the context keys of those places; the built-in clauses are VS Code 1.100's own
// (findController.ts, searchWidget.ts, notebook executeActions.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repoRoot';
import { evaluateWhen, type Context } from '../../support/whenClause';

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  when: string;
}

const bindings = (JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as { contributes: { keybindings: Keybinding[] } }).contributes.keybindings;
const binding = (command: string) => bindings.find((b) => b.command === command)!;

/** Where the learner is, as VS Code's context keys; a lab is open in every one. */
const PLACES: Record<string, Context> = {
  'typing in the exercise file': { 'transformerLabs.labOpen': true, editorFocus: true, editorTextFocus: true, resourceExtname: '.ts' },
  'the find widget open over the exercise, typing in the file': {
    'transformerLabs.labOpen': true, editorFocus: true, editorTextFocus: true, findWidgetVisible: true, resourceExtname: '.ts',
  },
  'typing in the find widget\'s replace box': {
    'transformerLabs.labOpen': true, editorFocus: true, editorTextFocus: false, findWidgetVisible: true, findInputFocussed: false, replaceInputFocussed: true, resourceExtname: '.ts',
  },
  'the Search view with its replace box': { 'transformerLabs.labOpen': true, searchViewletVisible: true, searchViewletFocus: true, replaceActive: true },
  'a notebook cell': { 'transformerLabs.labOpen': true, notebookEditorFocused: true, notebookCellListFocused: true, editorTextFocus: true, editorFocus: true },
};

const BUILT_IN: { what: string; key: string; when: string }[] = [
  { what: 'Replace All (find widget)', key: 'ctrl+alt+enter', when: 'findWidgetVisible && editorFocus' },
  { what: 'Replace All (Search view)', key: 'ctrl+alt+enter', when: 'searchViewletVisible && replaceActive && !findWidgetVisible' },
  { what: 'Execute Cell (notebook, Windows)', key: 'ctrl+alt+enter', when: 'notebookCellListFocused' },
  { what: 'Preserve Case (find widget, macOS)', key: 'cmd+alt+p', when: 'editorFocus && findWidgetVisible' },
];

describe('keybindings: scoped so they never take over built-in shortcuts', () => {
  it('every keybinding is active while typing in the exercise file', () => {
    for (const b of bindings) assert.equal(evaluateWhen(b.when, PLACES['typing in the exercise file']), true, `${b.command}: ${b.when}`);
  });

  for (const builtIn of BUILT_IN) {
    it(`leaves ${builtIn.key} to ${builtIn.what} wherever that is active`, () => {
      const ours = bindings.filter((b) => b.key === builtIn.key || b.mac === builtIn.key);
      assert.ok(ours.length > 0, `the extension binds ${builtIn.key}`);
      let places = 0;
      for (const [place, ctx] of Object.entries(PLACES)) {
        if (!evaluateWhen(builtIn.when, ctx)) continue;
        places++;
        for (const b of ours) assert.equal(evaluateWhen(b.when, ctx), false, `${b.command} (${b.when}) would take ${builtIn.key} from ${builtIn.what} in "${place}"`);
      }
      assert.ok(places > 0, `${builtIn.what} is active in at least one of the places tried`);
    });
  }

  it('Run Checks runs only from a TypeScript editor, not the lab\'s Markdown', () => {
    const markdown = { ...PLACES['typing in the exercise file'], resourceExtname: '.md' };
    assert.equal(evaluateWhen(binding('transformerLabs.runChecks').when, markdown), false);
  });

  it('the clause reader itself: precedence, negation, comparison', () => {
    assert.equal(evaluateWhen('a && !b || c == x', { a: true, b: true, c: 'x' }), true);
    assert.equal(evaluateWhen('a && (b || c)', { a: true, c: true }), true);
    assert.equal(evaluateWhen('a != .ts', { a: '.ts' }), false);
    assert.throws(() => evaluateWhen('a && && b', {}));
  });
});
