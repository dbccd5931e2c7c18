/**
 * The protocol's limits have one home, src/protocol/limits.ts: no code outside src/protocol
 * writes one of them as a number. A limit's value counts as written when it appears as a
 * literal (`50`, `'200'`, `64 * 1024`, `1 << 20`) or inside a string ("16,384 bytes", "64 KiB")
 * with a word of what it limits nearby (the same line or the one before): `50` beside "hint",
 * `128` beside "token". Other numbers are not this test's business, and comments are not code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type * as TypeScript from 'typescript';
import * as limits from '../../src/protocol/limits';
import { ROOT } from '../helpers/process/processes';

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
  MAX_TIME_BYTES: /\btime\b|iso/i,
  MAX_ADDRESS_BYTES: /address/i,
  MAX_ERROR_CODE_BYTES: /error.?code/i,
  MAX_REJECT_REASON_BYTES: /reject/i,
  MAX_DETAIL_BYTES: /detail/i,
  MAX_ERROR_MESSAGE_BYTES: /error.?message/i,
  MAX_MUTE_MINUTES: /mute/i,
  MAX_QUESTION_BYTES: /question/i,
  ROSTER_QUESTION_CHARACTERS: /question/i,
  MAX_REASON_BYTES: /reason/i,
  MAX_ROSTER_ENTRIES: /roster/i,
  MAX_ROSTER_FRAME_BYTES: /roster/i,
  KEPT_HINTS: /hint/i,
  KEPT_HINT_BYTES: /hint/i,
  WELCOME_NAMES: /welcome/i,
  MAX_COURSE_MESSAGE_BYTES: /course/i,
  COURSE_RECV_BYTES: /recv/i,
  MAX_PENDING_OUTPUT_BYTES: /pending|output|messageBytes/i,
};

/**
 * Limits still written as numbers in a folder, until its code imports the constant: a named
 * to-do list, empty since the extension and the chat panel import theirs. The test enforces
 * everything else; an entry whose number is gone is reported, to be removed.
 */
const ADOPTION_PENDING: ReadonlyArray<{ under: string; limit: NumericLimit }> = [];

interface Finding {
  file: string;
  line: number;
  limit: NumericLimit;
  written: string;
}

/** The value of a literal, or of a product or shift of literals (`64 * 1024`, `1 << 20`). */
function constantValue(node: TypeScript.Node): number | undefined {
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (ts.isParenthesizedExpression(node)) return constantValue(node.expression);
  if (ts.isBinaryExpression(node)) {
    const left = constantValue(node.left);
    const right = constantValue(node.right);
    if (left === undefined || right === undefined) return undefined;
    if (node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return left * right;
    if (node.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken) return left * 2 ** right;
  }
  return undefined;
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

/** Numbers written in one source file that look like a protocol limit. */
function findLimits(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  /** Words of the code (identifiers, property names, string contents) by line, comments left out. */
  const words = new Map<number, string[]>();
  const numbers: Array<{ line: number; value: number; written: string }> = [];
  const texts: Array<{ line: number; text: string }> = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const line = lineOf(node.getStart(source));
      words.set(line, [...(words.get(line) ?? []), node.text]);
    }
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      // A text of several lines is read line by line: its words count where they stand.
      const first = lineOf(node.getStart(source));
      node.text.split('\n').forEach((part, index) => {
        words.set(first + index, [...(words.get(first + index) ?? []), part]);
        if (!/^\d+$/.test(part)) texts.push({ line: first + index, text: part });
      });
      if (/^\d+$/.test(node.text)) numbers.push({ line: first, value: Number(node.text), written: node.text });
    }
    const value = constantValue(node);
    if (value !== undefined) {
      numbers.push({ line: lineOf(node.getStart(source)), value, written: node.getText(source) });
      return; // the literals inside a product are part of it
    }
    ts.forEachChild(node, visit);
    if (ts.isTemplateExpression(node)) {
      // Template heads, middles and tails are tokens, not children that forEachChild visits.
      for (const part of [node.head, ...node.templateSpans.map((span) => span.literal)]) visit(part);
    }
  };
  visit(source);
  const near = (line: number) => [...(words.get(line - 1) ?? []), ...(words.get(line) ?? [])].join(' ');
  const findings: Finding[] = [];
  for (const [limit, concept] of Object.entries(CONCEPTS) as Array<[NumericLimit, RegExp | 'not-a-limit']>) {
    if (concept === 'not-a-limit') continue;
    const value = limits[limit];
    for (const number of numbers)
      if (number.value === value && concept.test(near(number.line)))
        findings.push({ file, line: number.line + 1, limit, written: number.written });
    const forms = textForms(value);
    for (const { line, text: written } of texts)
      if (forms.test(written) && concept.test(near(line)))
        findings.push({ file, line: line + 1, limit, written: written.trim() });
  }
  return findings;
}

function sourcesOutsideProtocol(): string[] {
  const src = join(ROOT, 'src');
  return readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.startsWith('src/protocol/'))
    .sort();
}

test('every numeric export of src/protocol/limits.ts says what it limits, for the scan below', () => {
  const numeric = Object.entries(limits)
    .filter(([, value]) => typeof value === 'number')
    .map(([name]) => name)
    .sort();
  assert.deepEqual(numeric, Object.keys(CONCEPTS).sort());
});

test('the scan finds limits written as numbers, in code and in text, and not in comments', () => {
  const sample = [
    'const HINT_LIMIT = 50;',
    "h('input', { class: 'hand-question',",
    "  maxlength: '200' });",
    'const frameBytes = 64 * 1024;',
    'const detail = `the frame has more than 65,536 bytes`;',
    '// the relay keeps the last 50 hints',
    'const presence = { maxNames: 50 };',
    'const headroomBytes = 64 * 1024;',
  ].join('\n');
  const found = findLimits('sample.ts', sample).map(({ line, limit, written }) => `${line} ${limit} ${written}`);
  assert.deepEqual(found.sort(), [
    '1 KEPT_HINTS 50',
    '3 ROSTER_QUESTION_CHARACTERS 200',
    '4 MAX_FRAME_BYTES 64 * 1024',
    '5 MAX_FRAME_BYTES the frame has more than 65,536 bytes',
  ]);
});

test('no code outside src/protocol writes a protocol limit as a number (besides the adoption list)', (t) => {
  const findings = sourcesOutsideProtocol().flatMap((file) => findLimits(file, readFileSync(join(ROOT, file), 'utf8')));
  const pending = (finding: Finding) =>
    ADOPTION_PENDING.some((entry) => finding.file.startsWith(entry.under) && entry.limit === finding.limit);
  for (const entry of ADOPTION_PENDING) {
    if (!findings.some((finding) => finding.file.startsWith(entry.under) && finding.limit === entry.limit))
      t.diagnostic(`${entry.under} now imports ${entry.limit}: remove it from ADOPTION_PENDING`);
  }
  const unexpected = findings
    .filter((finding) => !pending(finding))
    .map(({ file, line, limit, written }) => `${file}:${line}: ${written} is ${limit}; import it from src/protocol`);
  assert.deepEqual(unexpected, []);
});
