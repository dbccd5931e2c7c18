/**
 * The relay's defaults table (src/server/defaults.ts) against what people read: `serve --help`
 * names every flag of the table with the table's default, and docs/reliability.md lists every
 * default as the table has it and states no figure of a limit that neither the table nor the
 * protocol's limits have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVE_HELP } from '../../src/cli/serve';
import * as limits from '../../src/protocol/limits';
import { DEFAULT_POLICY } from '../../src/server/policy';
import { flaggedDefaults, inFlagUnits, relayDefaults, shownDefault } from '../../src/server/defaults';
import { ROOT } from '../helpers/process/processes';

const RELIABILITY = readFileSync(join(ROOT, 'docs', 'reliability.md'), 'utf8');

const flagged = flaggedDefaults();

/** Flags of `serve` that are not the relay's defaults: where it listens (the protocol's ports). */
const LISTENING_FLAGS = new Map([
  ['host', '0.0.0.0: all interfaces'],
  ['port', `${limits.DEFAULT_PORT}, the course's port`],
  ['tls-port', String(limits.DEFAULT_TLS_PORT)],
]);

/** Each flag of the help with its block of lines, and the default that block states. */
function helpDefaults(help: string): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  const blocks = help.split(/\n(?= {2}--)/);
  for (const block of blocks.slice(1)) {
    const name = /^ {2}--([a-z-]+)/.exec(block)![1]!;
    const own = block.split(/\n(?! {3,})/)[0]!;
    found.set(name, /\(default ([^)]+)\)/.exec(own.replace(/\s+/g, ' '))?.[1]);
  }
  return found;
}

test('serve --help names every flag of the defaults table with its default, and no other default', () => {
  const shown = helpDefaults(SERVE_HELP);
  for (const [name, entry] of flagged) {
    assert.ok(shown.has(entry.flag.name), `--${entry.flag.name} (${name}) is missing from serve --help`);
    assert.equal(shown.get(entry.flag.name), String(inFlagUnits(entry)), `the default of --${entry.flag.name}`);
  }
  const tableFlags = new Set(flagged.map(([, entry]) => entry.flag.name));
  for (const [flag, value] of shown) {
    if (value === undefined || tableFlags.has(flag)) continue;
    assert.equal(value, LISTENING_FLAGS.get(flag), `--${flag} states a default the defaults table does not have`);
  }
});

test('the policy takes every figure from the defaults table', () => {
  const values = new Set(relayDefaults().map(([, entry]) => entry.value));
  const figures = (value: unknown): number[] =>
    typeof value === 'number' ? [value] : Object.values(value as Record<string, unknown>).flatMap(figures);
  for (const figure of figures(DEFAULT_POLICY)) assert.ok(values.has(figure), `${figure} is not in the table`);
});

/** The table docs/reliability.md lists every default in, as the defaults table makes it. */
function expectedDocsTable(): string {
  const rows = relayDefaults().map(
    ([name, entry]) =>
      `| \`${name}\` | ${shownDefault(entry)} | ${entry.flag ? `\`--${entry.flag.name}\`` : '—'} | ${entry.description} |`,
  );
  return ['| default | value | flag of `serve` | what it is |', '|---|---|---|---|', ...rows].join('\n');
}

/** The Markdown section under `heading`, up to the next heading of its level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `docs/reliability.md has no section "${heading}"`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n## /);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The rows of the first table in `text`, as cells by column title. */
function tableRows(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((line) => line.startsWith('|'));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
  const [header, , ...rows] = lines;
  const titles = cells(header!);
  return rows.map((row) => Object.fromEntries(cells(row).map((cell, index) => [titles[index]!, cell])));
}

test('docs/reliability.md lists every default as the table has it', () => {
  const docs = tableRows(section(RELIABILITY, '## Every default'));
  const expected = tableRows(expectedDocsTable());
  assert.deepEqual(
    docs,
    expected,
    `docs/reliability.md, "Every default", should read (from src/server/defaults.ts):\n\n${expectedDocsTable()}\n`,
  );
});

/** Every figure of a limit the relay has: its defaults, and the protocol's limits. */
function knownFigures(): Set<string> {
  const known = new Set<string>();
  for (const [, entry] of relayDefaults()) {
    if (entry.unit === 'ms') known.add(`ms:${entry.value}`);
    else if (entry.unit === 'bytes') known.add(`bytes:${entry.value}`);
    else if (entry.unit !== 'share') known.add(`count:${entry.value}`);
  }
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number') continue;
    if (name.endsWith('_BYTES')) known.add(`bytes:${value}`);
    else if (name.endsWith('_MINUTES')) known.add(`ms:${value * 60_000}`);
    else known.add(`count:${value}`);
  }
  return known;
}

const UNITS: Record<string, [kind: string, factor: number]> = {
  ms: ['ms', 1],
  s: ['ms', 1000],
  minute: ['ms', 60_000],
  minutes: ['ms', 60_000],
  bytes: ['bytes', 1],
  KiB: ['bytes', 1024],
  MiB: ['bytes', 1024 * 1024],
};

/** The figures a cell states: "256 KiB" → bytes:262144, "10 minutes" → ms:600000, "1,000" → count:1000. */
function figuresIn(cell: string): string[] {
  return [...cell.matchAll(/(?<![\w.-])(\d[\d,]*(?:\.\d+)?)(?:\s?(ms|s|minutes?|bytes|KiB|MiB)\b)?/g)].map((match) => {
    const number = Number(match[1]!.replace(/,/g, ''));
    const [kind, factor] = match[2] ? UNITS[match[2]]! : ['count', 1];
    return `${kind}:${number * factor}`;
  });
}

test('docs/reliability.md states no figure of a limit or a kept amount that the relay does not have', () => {
  const known = knownFigures();
  const checked = [
    ...tableRows(section(RELIABILITY, '## What the relay keeps, and for how long')).flatMap((row) => [
      row.kept!,
      row.bound!,
    ]),
    ...tableRows(section(RELIABILITY, '## Limits')).map((row) => row.default!),
  ];
  for (const cell of checked)
    for (const figure of figuresIn(cell)) assert.ok(known.has(figure), `"${cell}" states ${figure}, not a default`);
});

test("docs/reliability.md gives each flag of serve the table's default", () => {
  const byFlag = new Map(flagged.map(([, entry]) => [entry.flag.name, entry]));
  const documented = new Set<string>();
  for (const row of tableRows(section(RELIABILITY, '## Limits'))) {
    for (const [, flag] of row['flag of `serve`']!.matchAll(/`--([a-z-]+)`/g)) {
      const entry = byFlag.get(flag!);
      assert.ok(entry, `docs/reliability.md names --${flag}, which the defaults table does not have`);
      const figure = entry.unit === 'ms' ? `ms:${entry.value}` : `count:${entry.value}`;
      assert.ok(figuresIn(row.default!).includes(figure), `--${flag}: "${row.default}" does not state ${figure}`);
      documented.add(flag!);
    }
  }
  assert.deepEqual([...documented].sort(), [...byFlag.keys()].sort());
});
