// The webview panels' messages for translators, and the English still written as a literal
// where the panels show text. The pages call `t` from webviews/shared/l10n.ts; the host hands
// them vscode.l10n.bundle, so their messages belong in l10n/bundle.l10n.json beside the host's
// (scripts/l10n-bundle.ts). test/unit/webviews/l10n.test.ts runs both functions.
//
// Read with the TypeScript parser rather than by searching the text: the pages spread a call
// over lines, pass text through ternaries and `??`, and name things `t` that are not the
// function (a token in a loop), which a text search would mistake for calls.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const L10N_MODULE = join('webviews', 'shared', 'l10n');

function webviewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return webviewFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function where(root: string, sf: ts.SourceFile, node: ts.Node): string {
  return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

/** The local names under which `file` imports `t` from the l10n module (`import { t as tr }` counts too). */
function importedT(root: string, sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !s.moduleSpecifier.text.startsWith('.')) continue;
    const target = resolve(dirname(sf.fileName), s.moduleSpecifier.text).replace(/\.ts$/, '');
    if (target !== resolve(root, L10N_MODULE)) continue;
    const bindings = s.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const el of bindings.elements) if ((el.propertyName ?? el.name).text === 't') names.add(el.name.text);
    }
  }
  return names;
}

/**
 * Every message the pages pass to `t`, sorted, and the places where a message is not one string
 * literal (a template, a concatenation, a variable: no key a translation could be found under)
 * or where `t` is used other than called.
 */
export function webviewMessages(root: string): { messages: string[]; problems: string[] } {
  const messages = new Set<string>();
  const problems: string[] = [];
  for (const file of webviewFiles(join(root, 'webviews'))) {
    const sf = parse(file);
    const names = importedT(root, sf);
    if (names.size === 0) continue;
    const visit = (node: ts.Node, names: Set<string>): void => {
      // A parameter or variable named like the function hides it in its scope (a loop's `t`).
      const hidden = declaredIn(node);
      if ([...hidden].some((n) => names.has(n))) names = new Set([...names].filter((n) => !hidden.has(n)));
      if (ts.isIdentifier(node) && names.has(node.text) && !ts.isImportSpecifier(node.parent)) {
        const call = node.parent;
        // Only the function itself: a property or parameter of that name is something else.
        const isName = !(ts.isPropertyAccessExpression(call) && call.name === node) && !ts.isParameter(call) && !ts.isVariableDeclaration(call) && !ts.isPropertyAssignment(call) && !ts.isBindingElement(call);
        if (isName) {
          if (!ts.isCallExpression(call) || call.expression !== node) problems.push(`${where(root, sf, node)}: ${node.text} is used other than called with a message`);
          else {
            const first = call.arguments[0];
            if (first && ts.isStringLiteral(first)) messages.add(first.text);
            else problems.push(`${where(root, sf, call)}: ${node.text}( needs its message as one string literal, got ${first ? first.getText(sf).slice(0, 60) : 'nothing'}`);
          }
        }
      }
      ts.forEachChild(node, (child) => visit(child, names));
    };
    visit(sf, names);
  }
  return { messages: [...messages].sort(), problems };
}

/** The names a function's parameters, or a block's or loop's own declarations, bind inside `node`. */
function declaredIn(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) out.add(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
  };
  if (ts.isFunctionLike(node)) for (const p of node.parameters) bind(p.name);
  if ((ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isForStatement(node)) && node.initializer && ts.isVariableDeclarationList(node.initializer)) {
    for (const d of node.initializer.declarations) bind(d.name);
  }
  if (ts.isBlock(node) || ts.isSourceFile(node)) {
    for (const st of node.statements) if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bind(d.name);
  }
  return out;
}

// ---- English left in the pages ----

/**
 * Literals that stay English on purpose: names of functions, methods and libraries, and notation
 * (axis units, log p). Every other literal with words where the pages show text is a miss.
 */
export const KEPT_ENGLISH = new Set(['attention', 'multiHeadAttention', 'Pre-LN', 'Post-LN', 'RoPE', 'ALiBi', 'js-tiktoken', 'log p', 'log₂ N', 'log₁₀ ms', 'log₁₀ bytes', 'log₁₀ ‖∂loss/∂θ_l‖']);

/** Attributes a person reads or hears (in h()/svg() attribute objects and setAttribute). */
const VISIBLE_ATTRS = new Set(['aria-label', 'title', 'placeholder', 'alt']);
/** Option and chart fields whose value is shown: lineChart/heatmap options, series and bar names, notes and error texts. */
const VISIBLE_KEYS = new Set(['title', 'label', 'name', 'xLabel', 'yLabel', 'rowLabel', 'colLabel', 'caption', 'note', 'message', 'error', ...VISIBLE_ATTRS]);
/** Properties whose assignment is shown. */
const VISIBLE_PROPS = new Set(['textContent', 'innerText', 'title', 'placeholder', 'ariaLabel']);

/** A text; a list of texts; [value, text] pairs; [text, value] pairs; h()/svg() attributes; a record of texts. */
type Shape = 'text' | 'list' | 'options' | 'named' | 'attrs' | 'values';

/**
 * The page helpers (webviews/shared and the panels' own) and which of their arguments are shown:
 * a text, a list of texts (table columns), [value, text] options or [text, value] rows.
 */
const HELPERS: Record<string, Partial<Record<number, Shape>>> = {
  numberField: { 0: 'text' },
  textField: { 0: 'text' },
  sliderField: { 0: 'text' },
  selectField: { 0: 'text', 2: 'options' },
  radioGroup: { 0: 'text', 1: 'options' },
  dataTable: { 0: 'text', 1: 'list' },
  bars: { 0: 'text' },
  section: { 0: 'text', 1: 'text' },
  errorNote: { 0: 'text' },
  showMessage: { 0: 'text', 1: 'text' },
  announce: { 0: 'text' },
  generatedText: { 0: 'text' },
  beamTree: { 0: 'text' },
  tokensTable: { 0: 'text', 2: 'text', 4: 'text' },
  confusionMatrix: { 0: 'text' },
  confusionTable: { 0: 'text' },
  metricsTable: { 0: 'text', 3: 'named' },
  attentionTokens: { 2: 'text' },
  fitLine: { 0: 'text' },
  chart: { 0: 'text', 1: 'text' },
};

/** Functions whose result is shown (sentences built in the pure modules: labels, error notes, status lines). */
const TEXT_FUNCTIONS = new Set(['cellLabel', 'viewName', 'captionFor', 'differenceSummary', 'partErrorText', 'statusText', 'liveLine', 'fitLine', 'pointsText', 'triesText', 'rankOf', 'truncate']);
/** Local variables that hold shown text, lists of texts (table columns), options, or records of names. */
const TEXT_VARIABLES: Record<string, Shape> = { head: 'text', layer: 'text', label: 'text', which: 'text', status: 'text', verdict: 'text', said: 'text', caption: 'text', title: 'text', text: 'text', diff: 'text', right: 'text', whose: 'text', list: 'list', columns: 'list', breaks: 'list', layerOptions: 'options', headOptions: 'options', NAMES: 'values', SCHEME_NAMES: 'values' };

function calleeName(call: ts.CallExpression): string | undefined {
  const e = call.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/** The words of a literal's text (placeholders of a template removed): what a translator would translate. */
function hasWords(text: string): boolean {
  return /[A-Za-z]{2,}/.test(text) && !KEPT_ENGLISH.has(text.trim());
}

/**
 * Every literal with words where the pages show text, as "file:line: literal". What counts as
 * shown: children of h()/svg(), their aria-label/title/placeholder attributes, the text arguments
 * of the page helpers (HELPERS), chart and series fields (VISIBLE_KEYS), assignments to
 * textContent/title/placeholder, setAttribute of a visible attribute — through ternaries, `??`,
 * `||`, `+`, templates and .map callbacks. A t('…') call is translated; its arguments are data.
 */
export function englishLiterals(root: string): string[] {
  const found: string[] = [];
  for (const file of webviewFiles(join(root, 'webviews'))) {
    if (resolve(file).replace(/\.ts$/, '') === resolve(root, L10N_MODULE)) continue;
    const sf = parse(file);
    const tNames = importedT(root, sf);
    const report = (node: ts.Node, text: string) => found.push(`${where(root, sf, node)}: ${JSON.stringify(text)}`);

    const shown = (e: ts.Expression | undefined, shape: Shape): void => {
      if (!e) return;
      if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) return shown(e.expression, shape);
      if (ts.isConditionalExpression(e)) return (shown(e.whenTrue, shape), shown(e.whenFalse, shape));
      if (ts.isBinaryExpression(e) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(e.operatorToken.kind)) {
        return (shown(e.left, shape), shown(e.right, shape));
      }
      if (ts.isCallExpression(e)) {
        const name = calleeName(e);
        if (ts.isIdentifier(e.expression) && tNames.has(e.expression.text)) return;
        // [a, b, c].join(' · '): each part is shown.
        if (name === 'join' && ts.isPropertyAccessExpression(e.expression)) return shown(e.expression.expression, 'list');
        // Lists built by mapping: the callback's result has the list's shape per element.
        const isFrom = name === 'from' && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.expression) && e.expression.expression.text === 'Array';
        if ((name === 'map' || name === 'flatMap' || isFrom) && shape !== 'text') {
          const fn = e.arguments[isFrom ? 1 : 0];
          if (fn && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !ts.isBlock(fn.body)) {
            const body = fn.body as ts.Expression;
            if (shape === 'list') shown(body, name === 'flatMap' ? shape : 'text');
            else if (ts.isArrayLiteralExpression(body)) shown(body.elements[shape === 'options' ? 1 : 0], 'text');
          }
        }
        return;
      }
      if (shape === 'text') {
        if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
          if (hasWords(e.text)) report(e, e.text);
        } else if (ts.isTemplateExpression(e)) {
          const literal = [e.head.text, ...e.templateSpans.map((s) => s.literal.text)].join(' ');
          if (hasWords(literal)) report(e, e.getText(sf));
          for (const s of e.templateSpans) shown(s.expression, 'text');
        }
        return;
      }
      if (shape === 'values' && ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) if (ts.isPropertyAssignment(p)) shown(p.initializer, 'text');
        return;
      }
      if (shape === 'attrs' && ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) if (ts.isPropertyAssignment(p) && VISIBLE_ATTRS.has(propName(p))) shown(p.initializer, 'text');
        return;
      }
      if (ts.isArrayLiteralExpression(e)) {
        for (const el of e.elements) {
          // A spread list keeps the shape of the list it is spread into.
          if (ts.isSpreadElement(el)) shown(el.expression, shape);
          else if (shape === 'list') shown(el, 'text');
          else if (ts.isArrayLiteralExpression(el)) shown(el.elements[shape === 'options' ? 1 : 0], 'text');
        }
      }
    };

    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const name = calleeName(node);
        if (name === 'h' || name === 'svg') {
          shown(node.arguments[1], 'attrs');
          for (const child of node.arguments.slice(2)) shown(ts.isSpreadElement(child) ? child.expression : child, ts.isSpreadElement(child) ? 'list' : 'text');
        } else if (name === 'setAttribute') {
          const attr = node.arguments[0];
          if (attr && ts.isStringLiteral(attr) && VISIBLE_ATTRS.has(attr.text)) shown(node.arguments[1], 'text');
        } else if (name && HELPERS[name]) {
          for (const [i, shape] of Object.entries(HELPERS[name])) shown(node.arguments[Number(i)], shape as Shape);
        }
      } else if (ts.isPropertyAssignment(node) && VISIBLE_KEYS.has(propName(node)) && !isAttrsOfElement(node)) {
        shown(node.initializer, 'text');
      } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && TEXT_VARIABLES[node.name.text]) {
        shown(node.initializer, TEXT_VARIABLES[node.name.text]);
      } else if (ts.isReturnStatement(node) || (ts.isArrowFunction(node) && !ts.isBlock(node.body))) {
        const fn = ts.isReturnStatement(node) ? enclosingFunctionName(node) : functionName(node);
        if (fn && TEXT_FUNCTIONS.has(fn)) shown(ts.isReturnStatement(node) ? node.expression : (node.body as ts.Expression), 'text');
      } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && VISIBLE_PROPS.has(node.left.name.text)) {
        shown(node.right, 'text');
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** `function name()` or `const name = () =>`. */
function functionName(fn: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(fn) && fn.name) return fn.name.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

function enclosingFunctionName(node: ts.Node): string | undefined {
  let n: ts.Node | undefined = node.parent;
  while (n && !ts.isFunctionLike(n)) n = n.parent;
  return n && functionName(n);
}

function propName(p: ts.PropertyAssignment): string {
  return ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : '';
}

/** An attribute of an h()/svg() call: checked there (VISIBLE_ATTRS), so not twice. */
function isAttrsOfElement(p: ts.PropertyAssignment): boolean {
  const obj = p.parent;
  const call = obj.parent;
  return ts.isCallExpression(call) && call.arguments[1] === obj && ['h', 'svg'].includes(calleeName(call) ?? '');
}

if (require.main === module) {
  const root = join(__dirname, '..', '..');
  const { messages, problems } = webviewMessages(root);
  const left = englishLiterals(root);
  console.log(`webviews: ${messages.length} messages`);
  if (problems.length + left.length > 0) {
    console.error([...problems, ...left.map((l) => `${l}: English literal where the page shows text`)].join('\n'));
    process.exit(1);
  }
}
