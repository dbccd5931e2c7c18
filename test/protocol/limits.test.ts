/**
 * The protocol's limits have one home, src/protocol/limits.ts: no other code in src, src/protocol
 * included, writes one of them as a number. A number is a literal, a sum, product, power or
 * shift of literals (`50`, `'200'`, `64 * 1024`, `2 ** 16`, `1 << 20`), or a constant of the
 * same file that is one, whichever line defines it. A number is a limit written out:
 *
 * - by its place, whatever its value: a field's longest where a frame is checked (the third
 *   argument of `text(fields, key, max)`, the second of `snippet(value, max)`), a maxlength
 *   (`maxlength: '500'`, `input.maxLength = 500`, `maxlength="500"` in markup), or what a size
 *   of text is compared with (`utf8Length(question) > 1000`, `[...name].length <= LONGEST`),
 *   except 0, 1 and -1 (empty, one, not found) and a constant named as a least (`MIN_…`);
 * - by its value: it equals a limit, and what it is called (`HINT_LIMIT = 50`) or, for a
 *   number without a name, the words beside it (the same line or the one before) say what
 *   that limit limits: `50` beside "hint", `128` beside "token"; a text stating it counts too
 *   ("16,384 bytes", "64 KiB").
 *
 * Other numbers (ports, HTTP codes, indexes, a radix, a width to pad to, the bounds of a list)
 * are not this test's business, and comments are not code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type * as TypeScript from 'typescript';
import * as limits from '../../src/protocol/limits';
import { ROOT } from '../helpers/paths';

// The compiler's own parser, loaded at run time rather than bundled into the test.
const ts = createRequire(__filename)('typescript') as typeof TypeScript;

type NumericLimit = {
  [K in keyof typeof limits]: (typeof limits)[K] extends number ? K : never;
}[keyof typeof limits];

/** What each limit limits, as words in the code around a number: the number is that limit there. */
const CONCEPTS: Record<NumericLimit, RegExp | 'not-a-limit'> = {
  DEFAULT_PORT: 'not-a-limit',
  DEFAULT_TLS_PORT: 'not-a-limit',
  MAX_FRAME_BYTES: /frame/i,
  MAX_TEXT_BYTES: /\btext|textBytes/i,
  MAX_SNIPPET_BYTES: /snippet/i,
  MAX_ID_LENGTH: /\bids?\b|_ID_/i,
  MAX_NAME_LENGTH: /(?<!file[_ ]?)name/i,
  MAX_NAME_BYTES: /name|recipient/i,
  MAX_RELAYED_NAME_BYTES: /name|sender|\bfrom\b/i,
  MAX_LANGUAGE_LENGTH: /language/i,
  MAX_FILE_NAME_LENGTH: /file/i,
  MAX_CLIENT_LABEL_BYTES: /label/i,
  MAX_SERVER_LABEL_BYTES: /label/i,
  MAX_RESUME_TOKEN_BYTES: /token|resume/i,
  MAX_TEACHER_KEY_BYTES: /teacher.?key|\bkey\b/i,
  MAX_CLASS_CODE_BYTES: /class.?code/i,
  MAX_ADMIN_KEY_BYTES: /admin.?key/i,
  MAX_LISTED_CLASSES: /classes/i,
  MAX_TIME_BYTES: /\btime\b|iso/i,
  MAX_ADDRESS_BYTES: /address/i,
  MAX_ERROR_CODE_BYTES: /error.?code/i,
  MAX_REJECT_REASON_BYTES: /reject/i,
  MAX_DETAIL_BYTES: /detail/i,
  MAX_ERROR_MESSAGE_BYTES: /error.?message/i,
  MAX_MUTE_MINUTES: /mute|minutes/i,
  MAX_QUESTION_BYTES: /question/i,
  ROSTER_QUESTION_CHARACTERS: /question/i,
  MAX_REASON_BYTES: /reason/i,
  MAX_ROSTER_ENTRIES: /roster/i,
  MAX_ROSTER_FRAME_BYTES: /roster/i,
  KEPT_HINTS: /hint/i,
  KEPT_HINT_BYTES: /hint/i,
  MAX_COURSE_MESSAGE_BYTES: /course/i,
  COURSE_RECV_BYTES: /recv/i,
};

/** Where a number is a limit whatever its value. */
type Place = 'a field length' | 'a maxlength' | "compared with a text's size";

/** A limit written as a number: the limit its value and words say it is, or the place it stands in. */
type Finding = { file: string; line: number; written: string } & (
  { type: 'value'; limit: NumericLimit } | { type: 'place'; place: Place }
);

/** The frames' field checks (src/protocol/frameFields.ts) and which of their arguments is a field's longest. */
const FIELD_LENGTH_ARGUMENT: Record<string, number> = { text: 2, snippet: 1 };

/** Numbers that stand beside a length without limiting it: empty, one, not found. */
const NOT_LIMITS = new Set([0, 1, -1]);

const ARITHMETIC: Partial<Record<TypeScript.SyntaxKind, (left: number, right: number) => number>> = {
  [ts.SyntaxKind.PlusToken]: (left, right) => left + right,
  [ts.SyntaxKind.MinusToken]: (left, right) => left - right,
  [ts.SyntaxKind.AsteriskToken]: (left, right) => left * right,
  [ts.SyntaxKind.SlashToken]: (left, right) => left / right,
  [ts.SyntaxKind.PercentToken]: (left, right) => left % right,
  [ts.SyntaxKind.AsteriskAsteriskToken]: (left, right) => left ** right,
  [ts.SyntaxKind.LessThanLessThanToken]: (left, right) => left * 2 ** right,
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: (left, right) => Math.floor(left / 2 ** right),
  [ts.SyntaxKind.BarToken]: (left, right) => left | right,
};

const COMPARISONS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
]);

/**
 * A size of text as code measures it: its UTF-8 bytes (`utf8Length(text)`, `Buffer.byteLength(text)`,
 * `data.byteLength`), its characters (`[...text].length`), or a value named as one (`length`,
 * `questionBytes`). A name for a bound (`maxBytes`) is no size, nor is `.length`, which counts
 * the items of a list as often as the units of a text.
 */
function isTextSize(node: TypeScript.Expression): boolean {
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node))
    return isTextSize(node.expression);
  const sizeName = (name: string) =>
    /^(?:length|bytes)$|[a-z](?:Length|Bytes)$/.test(name) && !/^(?:max|min|limit)/i.test(name);
  if (ts.isIdentifier(node)) return sizeName(node.text);
  if (ts.isPropertyAccessExpression(node)) {
    if (node.name.text === 'byteLength') return true;
    if (node.name.text === 'length')
      return ts.isArrayLiteralExpression(node.expression) && node.expression.elements.every(ts.isSpreadElement);
    return sizeName(node.name.text);
  }
  if (ts.isCallExpression(node)) {
    const name = calleeName(node);
    return name === 'utf8Length' || name === 'byteLength';
  }
  if (ts.isBinaryExpression(node) && ARITHMETIC[node.operatorToken.kind] !== undefined)
    return isTextSize(node.left) || isTextSize(node.right);
  return false;
}

/** Whether a number is named as a least (`MIN_TEACHER_KEY_LENGTH`): the wire's limits are all maxima. */
function isMinimum(node: TypeScript.Node): boolean {
  return ts.isIdentifier(node) && /^min(?:_|[A-Z])/i.test(node.text);
}

/**
 * The names a number is given: the property or constant it is the value of, and those it sits
 * in (`HINT_LIMIT` for `const HINT_LIMIT = 50`, `posted conversation` for
 * `const posted = { conversation: 1024 }`); none for a number that is not a named value.
 */
function givenNames(node: TypeScript.Node): string[] {
  const names: string[] = [];
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (ts.isPropertyAssignment(parent) && parent.initializer === child) names.push(parent.name.getText());
    else if (ts.isVariableDeclaration(parent) && parent.initializer === child) {
      names.push(parent.name.getText());
      break;
    } else if (
      !ts.isObjectLiteralExpression(parent) &&
      !ts.isParenthesizedExpression(parent) &&
      !ts.isAsExpression(parent) &&
      !ts.isSatisfiesExpression(parent) &&
      !ts.isPrefixUnaryExpression(parent) &&
      !(ts.isBinaryExpression(parent) && ARITHMETIC[parent.operatorToken.kind] !== undefined)
    )
      break;
  }
  return names;
}

/** The name a call is made by: `text` for `text(…)` and `fields.text(…)`. */
function calleeName(call: TypeScript.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Whether an identifier stands for a value here, not as a name being declared, a property or an import. */
function isReference(node: TypeScript.Identifier): boolean {
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name === node) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  if (ts.isPropertyDeclaration(parent) || ts.isParameter(parent) || ts.isBindingElement(parent)) return false;
  return true;
}

/** How a value may be written inside text: 16384, 16,384, 16'384, 16 384, and 16 KiB or 1 MiB for whole units. */
function textForms(value: number): RegExp {
  const digits = String(value);
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, "[,'’ _\u202f]?");
  const units = [
    ...(value % 1024 === 0 ? [`${value / 1024}\\s?(?:KiB|KB|kB)`] : []),
    ...(value % (1024 * 1024) === 0 ? [`${value / (1024 * 1024)}\\s?(?:MiB|MB)`] : []),
  ];
  return new RegExp(`(?<![\\w.,'’])(?:${[grouped, ...units].join('|')})(?![\\w.]|[,'’]\\d)`);
}

/** Numbers written in one source file that are a protocol limit, by their place or their value. */
function findLimits(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (node: TypeScript.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line;

  /** The file's constants that are numbers (`const KIB = 1024`), whichever line defines them. */
  const constants = new Map<string, number>();
  /** The value of a number as this test reads one, or undefined for anything else. */
  const valueOf = (node: TypeScript.Node): number | undefined => {
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isStringLiteralLike(node)) return /^\d+$/.test(node.text) ? Number(node.text) : undefined;
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return valueOf(node.expression);
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
      const operand = valueOf(node.operand);
      return operand === undefined ? undefined : -operand;
    }
    if (ts.isIdentifier(node)) return isReference(node) ? constants.get(node.text) : undefined;
    if (ts.isBinaryExpression(node)) {
      const operation = ARITHMETIC[node.operatorToken.kind];
      const left = valueOf(node.left);
      const right = valueOf(node.right);
      if (operation && left !== undefined && right !== undefined) return operation(left, right);
    }
    return undefined;
  };
  const declarations: TypeScript.VariableDeclaration[] = [];
  const collect = (node: TypeScript.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      ts.isVariableDeclarationList(node.parent) &&
      node.parent.flags & ts.NodeFlags.Const
    )
      declarations.push(node);
    ts.forEachChild(node, collect);
  };
  collect(source);
  // A constant may be made of others defined below it: read them until no more are found.
  for (let found = true; found;) {
    found = false;
    for (const declaration of declarations) {
      const name = (declaration.name as TypeScript.Identifier).text;
      const value = valueOf(declaration.initializer!);
      if (value !== undefined && !constants.has(name)) {
        constants.set(name, value);
        found = true;
      }
    }
  }
  const valueText = (node: TypeScript.Node) => (ts.isStringLiteralLike(node) ? node.text : '');
  const written = (node: TypeScript.Node, value: number) =>
    ts.isIdentifier(node) ? `${node.text} (${value})` : node.getText(source);

  /** Words of the code (identifiers, property names, string contents) by line, comments left out. */
  const words = new Map<number, string[]>();
  const addWords = (line: number, word: string) => words.set(line, [...(words.get(line) ?? []), word]);
  const numbers: Array<{ line: number; names: string[]; value: number; written: string }> = [];
  const texts: Array<{ line: number; text: string }> = [];
  const findings: Finding[] = [];
  const atPlace = (node: TypeScript.Node, place: Place) => {
    const value = valueOf(node);
    if (value !== undefined && !NOT_LIMITS.has(value))
      findings.push({ type: 'place', place, file, line: lineOf(node) + 1, written: written(node, value) });
  };

  const visit = (node: TypeScript.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node);
      const index = name === undefined ? undefined : FIELD_LENGTH_ARGUMENT[name];
      const argument = index === undefined ? undefined : node.arguments[index];
      if (argument) atPlace(argument, 'a field length');
      if (name === 'setAttribute' && node.arguments[0] && /^maxlength$/i.test(valueText(node.arguments[0])))
        if (node.arguments[1]) atPlace(node.arguments[1], 'a maxlength');
    }
    if (ts.isPropertyAssignment(node) && /^maxlength$/i.test(node.name.getText(source).replace(/['"]/g, '')))
      atPlace(node.initializer, 'a maxlength');
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left))
        if (/^maxlength$/i.test(node.left.name.text)) atPlace(node.right, 'a maxlength');
      if (COMPARISONS.has(operator)) {
        if (isTextSize(node.left) && !isMinimum(node.right)) atPlace(node.right, "compared with a text's size");
        if (isTextSize(node.right) && !isMinimum(node.left)) atPlace(node.left, "compared with a text's size");
      }
    }
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) addWords(lineOf(node), node.text);
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      // A text of several lines is read line by line: its words count where they stand.
      const first = lineOf(node);
      node.text.split('\n').forEach((part, index) => {
        addWords(first + index, part);
        if (!/^\d+$/.test(part)) texts.push({ line: first + index, text: part });
        for (const attribute of part.matchAll(/maxlength\s*=\s*(["']?)\d+\1/gi))
          findings.push({ type: 'place', place: 'a maxlength', file, line: first + index + 1, written: attribute[0] });
      });
    }
    const value = valueOf(node);
    if (value !== undefined) {
      numbers.push({ line: lineOf(node), names: givenNames(node), value, written: written(node, value) });
      return; // the literals inside a sum or product are part of it
    }
    ts.forEachChild(node, visit);
    if (ts.isTemplateExpression(node)) {
      // Template heads, middles and tails are tokens, not children that forEachChild visits.
      for (const part of [node.head, ...node.templateSpans.map((span) => span.literal)]) visit(part);
    }
  };
  visit(source);

  const near = (line: number) => [...(words.get(line - 1) ?? []), ...(words.get(line) ?? [])].join(' ');
  // A number given a name is read by its names; any other by the words around it.
  const wordsOf = (number: (typeof numbers)[number]) =>
    number.names.length > 0 ? number.names.join(' ') : near(number.line);
  for (const [limit, concept] of Object.entries(CONCEPTS) as Array<[NumericLimit, RegExp | 'not-a-limit']>) {
    if (concept === 'not-a-limit') continue;
    const value = limits[limit];
    for (const number of numbers)
      if (number.value === value && concept.test(wordsOf(number)))
        findings.push({ type: 'value', limit, file, line: number.line + 1, written: number.written });
    const forms = textForms(value);
    for (const { line, text: written } of texts)
      if (forms.test(written) && concept.test(near(line)))
        findings.push({ type: 'value', limit, file, line: line + 1, written: written.trim() });
  }
  return findings;
}

const shown = (finding: Finding) =>
  `${finding.line} ${finding.type === 'value' ? finding.limit : finding.place}: ${finding.written}`;

/** Every TypeScript file of src but the limits' own. */
function sources(): string[] {
  const src = join(ROOT, 'src');
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => file !== 'src/protocol/limits.ts')
    .sort();
}

test('every numeric export of src/protocol/limits.ts says what it limits, for the scan below', () => {
  const numeric = Object.entries(limits)
    .filter(([, value]) => typeof value === 'number')
    .map(([name]) => name)
    .sort();
  assert.deepEqual(numeric, Object.keys(CONCEPTS).sort());
});

test('the scan finds limits written as numbers by their place or their value, and nothing else', () => {
  const sample = [
    "import { MAX_FRAME_BYTES, MAX_QUESTION_BYTES } from './limits';",
    'const HINT_LIMIT = 50;',
    "h('input', { class: 'hand-question',",
    "  maxlength: '200' });",
    "h('input', { maxlength: '500' });",
    'const frameBytes = 64 * 1024;',
    'const detail = `the frame has more than 65,536 bytes`;',
    '// the relay keeps the last 50 hints',
    'const presence = { maxNames: 50 };',
    'const headroomBytes = 64 * 1024;',
    "const name = text(fields, 'name', 128);",
    'const code = snippet(fields.snippet, 40_000);',
    'if (utf8Length(question) > 1000) refuse();',
    'if ([...label].length >= 0x7f) refuse();',
    'const wholeFrame = 2 ** 16;',
    'const hintBytes = 256 * KIB;',
    'input.maxLength = QUESTION_FIELD;',
    'const form = `<input maxlength="80">`;',
    'if (hints.length > 50) hints.shift();',
    'if (Buffer.byteLength(reason) > LIMIT) refuse();',
    'const length = [...name].length; if (length > 40) refuse();',
    'if ([...key].length < MIN_KEY_LENGTH) refuse();',
    'const loose = MAX_FRAME_BYTES;',
    "const body = text(fields, 'text', loose);",
    'if (utf8Length(question) > MAX_QUESTION_BYTES) refuse();',
    'if (names.length === 0 || utf8Length(name) < 1 || list.indexOf(name) === -1) return;',
    'const last = parts[parts.length - 1];',
    'server.listen(12345);',
    'if (response.statusCode === 404) return;',
    'const code = parseInt(hex, 16);',
    "const minutes = String(time.getMinutes()).padStart(2, '0');",
    'if (maxBytes < 4 || lines.length < 2 || bytes.length > 4096 || seen.size > 50_000) return;',
    'const posted = { conversation: 1024, question: 4096 };',
    'const KIB = 1024;',
    'const QUESTION_FIELD = 300;',
    'const LIMIT = 512;',
    'const MIN_KEY_LENGTH = 12;',
  ].join('\n');
  assert.deepEqual(findLimits('sample.ts', sample).map(shown).sort(), [
    '11 MAX_NAME_BYTES: 128',
    '11 a field length: 128',
    '12 a field length: 40_000',
    "13 compared with a text's size: 1000",
    "14 compared with a text's size: 0x7f",
    '15 MAX_FRAME_BYTES: 2 ** 16',
    '16 KEPT_HINT_BYTES: 256 * KIB',
    '17 a maxlength: QUESTION_FIELD (300)',
    '18 a maxlength: maxlength="80"',
    '19 KEPT_HINTS: 50',
    '2 KEPT_HINTS: 50',
    '20 MAX_REASON_BYTES: LIMIT (512)',
    "20 compared with a text's size: LIMIT (512)",
    "21 compared with a text's size: 40",
    "4 a maxlength: '200'",
    "5 a maxlength: '500'",
    '6 MAX_FRAME_BYTES: 64 * 1024',
    '7 MAX_FRAME_BYTES: the frame has more than 65,536 bytes',
  ]);
});

test('no code in src, src/protocol included, writes a protocol limit as a number', () => {
  const findings = sources().flatMap((file) => findLimits(file, readFileSync(join(ROOT, file), 'utf8')));
  assert.deepEqual(
    findings.map((finding) => `${finding.file}:${shown(finding)}; import it from src/protocol/limits.ts`),
    [],
  );
});
