/**
 * The relay's defaults table (src/server/policy/defaults.ts) against what uses and states it: the
 * policy takes each of its fields from the default of its name, and docs/reliability.md lists
 * every default as the table has it and names, beside each figure of its tables, the default or
 * the protocol's limit it states (test/cli/serve.test.ts holds `serve` and its help to the table).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import * as limits from '../../src/protocol/limits';
import { DEFAULT_POLICY, policyFrom, type DefaultFigures, type RelayPolicy } from '../../src/server/policy/policy';
import { RELAY_DEFAULTS, type DefaultName } from '../../src/server/policy/defaults';
import { flaggedDefaults, relayDefaults, shownDefault } from '../../src/server/policy/defaultsRead';
import { ROOT } from '../helpers/paths';

const RELIABILITY = readFileSync(join(ROOT, 'docs', 'reliability.md'), 'utf8');

/** Where each field of the policy comes from: the name of its default, as this test knows it. */
type Sources<T> = { [K in keyof T]: T[K] extends number ? DefaultName : Sources<T[K]> };

const POLICY_SOURCES: Sources<RelayPolicy> = {
  maxConnections: 'maxConnections',
  maxConnectionsPerAddress: 'maxConnectionsPerAddress',
  registrationTimeoutMs: 'registrationTimeoutMs',
  unregistered: { total: 'maxUnregistered', perAddress: 'maxUnregisteredPerAddress', silentMs: 'silentMs' },
  input: {
    perSecond: 'inputPerSecond',
    burst: 'inputBurst',
    addressPerSecond: 'inputPerAddress',
    addressBurst: 'inputAddressBurst',
    holdMs: 'inputHoldMs',
  },
  outputTotal: {
    messageBytes: 'outputTotalBytes',
    headroomBytes: 'outputTotalHeadroomBytes',
    reserveBytes: 'outputReserveBytes',
  },
  courseIdleMs: 'courseIdleMs',
  keepaliveMs: 'keepaliveMs',
  closeGraceMs: 'closeGraceMs',
  output: { messageBytes: 'outputMessageBytes', headroomBytes: 'outputHeadroomBytes' },
  errors: { count: 'errorCount', windowMs: 'errorWindowMs' },
  rate: { perMinute: 'ratePerMinute', burst: 'rateBurst' },
  registrations: { perMinute: 'registrationsPerMinute', burst: 'registrationBurst' },
  who: { perMinute: 'whoPerMinute', burst: 'whoBurst' },
  logLimit: { lines: 'logLines', windowMs: 'logWindowMs' },
  ids: { perSender: 'idsPerSender', perAddress: 'idsPerAddress', ttlMs: 'idsTtlMs', total: 'idsTotal' },
  presence: { flushMs: 'presenceFlushMs', perPeerMs: 'presencePerPeerMs', maxNames: 'presenceMaxNames' },
  welcomeNames: 'welcomeNames',
  resume: {
    keepMs: 'resumeKeepMs',
    messages: 'resumeMessages',
    bytes: 'resumeBytes',
    totalBytes: 'resumeTotalBytes',
    offlinePerAddress: 'resumeOfflinePerAddress',
    offlineTotal: 'resumeOfflineTotal',
    holdMs: 'resumeHoldMs',
  },
  rosterMs: 'rosterMs',
  state: { writeMs: 'stateWriteMs', lessonMs: 'lessonStateMs' },
  classes: { max: 'maxClasses', perAddress: 'maxClassesPerAddress', idleMs: 'classIdleMs' },
  maxConnectionsPerClass: 'maxConnectionsPerClass',
  relayWide: { ids: 'idsAllClasses', resumeBytes: 'resumeAllClassesBytes', departed: 'resumeOfflineAllClasses' },
};

/** The policy POLICY_SOURCES makes of a table: each field the value of the default it names. */
function expectedPolicy(table: DefaultFigures, sources: object = POLICY_SOURCES): unknown {
  return Object.fromEntries(
    Object.entries(sources).map(([key, source]) => [
      key,
      typeof source === 'string' ? table[source as DefaultName].value : expectedPolicy(table, source as object),
    ]),
  );
}

test('the policy takes each field from the default of its name', () => {
  assert.deepEqual(DEFAULT_POLICY, expectedPolicy(RELAY_DEFAULTS));
  // Defaults of equal value (64 connections, 64 registrations) could stand in for each other:
  // a table of values all different shows each field reads its own.
  const distinct = Object.fromEntries(
    relayDefaults().map(([name], index) => [name, { value: 1000 + index }]),
  ) as DefaultFigures;
  assert.deepEqual(policyFrom(distinct), expectedPolicy(distinct));
});

/** The table docs/reliability.md lists every default in, as the defaults table makes it. */
function expectedDocsTable(): string {
  const rows = relayDefaults().map(([name, entry]) => {
    const flag = entry.flag ? `\`--${entry.flag.name}\`` : '—';
    return `| \`${name}\` | ${shownDefault(entry)} | ${flag} | ${entry.description} |`;
  });
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
    `docs/reliability.md, "Every default", should read (from src/server/policy/defaults.ts):\n\n${expectedDocsTable()}\n`,
  );
});

/** What a figure measures, and its value in the relay's units (ms, bytes, a count, a share). */
interface Figure {
  kind: 'ms' | 'bytes' | 'count' | 'share';
  value: number;
}

const UNITS: Record<string, [kind: Figure['kind'], factor: number]> = {
  ms: ['ms', 1],
  s: ['ms', 1000],
  minute: ['ms', 60_000],
  minutes: ['ms', 60_000],
  day: ['ms', 86_400_000],
  days: ['ms', 86_400_000],
  bytes: ['bytes', 1],
  KiB: ['bytes', 1024],
  MiB: ['bytes', 1024 * 1024],
};

/**
 * The figures a cell of the docs states, in order: "256 KiB", "10 minutes", "1,000", "0.5 ms",
 * "1/4". Code (flags, codes, an example command) states none, nor does a number inside a word
 * or after a slash ("IPv6", "/64").
 */
function figuresIn(cell: string): Array<Figure & { written: string }> {
  const prose = cell.replace(/`[^`]*`/g, ' ');
  const pattern =
    /(?<![\w.,/-])(?:(\d+)\/(\d+)|(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(ms|s|minutes?|days?|bytes|KiB|MiB)\b)?)(?![\w/])/g;
  return [...prose.matchAll(pattern)].map((match) => {
    const [written, numerator, denominator, whole, fraction, unit] = match;
    if (numerator !== undefined) return { kind: 'share', value: Number(numerator) / Number(denominator), written };
    const [kind, factor] = unit ? UNITS[unit]! : (['count', 1] as const);
    return { kind, value: Number(whole!.replace(/,/g, '') + (fraction ?? '')) * factor, written };
  });
}

/** A default of the table or a limit of the protocol by its name, as a figure. */
function figureNamed(name: string): Figure {
  if (name in RELAY_DEFAULTS) {
    const { value, unit } = RELAY_DEFAULTS[name as DefaultName];
    return { kind: unit === 'ms' || unit === 'bytes' || unit === 'share' ? unit : 'count', value };
  }
  const value = (limits as Record<string, unknown>)[name];
  assert.equal(typeof value, 'number', `docs/reliability.md names ${name}, neither a default nor a limit`);
  if (name.endsWith('_BYTES')) return { kind: 'bytes', value: value as number };
  if (name.endsWith('_MINUTES')) return { kind: 'ms', value: (value as number) * 60_000 };
  return { kind: 'count', value: value as number };
}

/** The figures a "figures from" cell names: `a`, `b` × `c`, …; a product takes the kind of its one measure. */
function namedFigures(cell: string): Array<Figure & { written: string }> {
  if (cell === '—') return [];
  return cell.split(/,\s*/).map((written) => {
    assert.match(written, /^`\w+`(?:\s*×\s*`\w+`)*$/, `"${written}" in a "figures from" column`);
    const factors = [...written.matchAll(/`(\w+)`/g)].map((match) => figureNamed(match[1]!));
    const measures = factors.filter((factor) => factor.kind !== 'count');
    assert.ok(measures.length <= 1, `${written} multiplies two measures`);
    const value = factors.reduce((product, factor) => product * factor.value, 1);
    return { kind: measures[0]?.kind ?? 'count', value, written };
  });
}

const FROM = 'figures from';

/** Each row's figures, cell by cell in column order, beside what its "figures from" column names. */
function keyedRows(heading: string) {
  return tableRows(section(RELIABILITY, heading)).map((row) => {
    const cells = Object.entries(row).filter(([title]) => title !== FROM);
    return {
      row,
      figures: cells.flatMap(([title, cell]) => figuresIn(cell).map((figure) => ({ ...figure, title }))),
      named: namedFigures(row[FROM] ?? assert.fail(`${heading}: a row has no "${FROM}" column`)),
    };
  });
}

const KEYED_TABLES = ['## What the relay keeps, and for how long', '## Limits'];

test('docs/reliability.md states each figure of its tables as the default or limit named beside it', () => {
  for (const heading of KEYED_TABLES) {
    for (const { row, figures, named } of keyedRows(heading)) {
      const stated = figures.map((figure) => figure.written);
      const where = `docs/reliability.md, ${heading.slice(3)}, row "${Object.values(row)[0]}"`;
      assert.equal(
        figures.length,
        named.length,
        `${where} states ${stated.length} figures (${stated.join(', ')}) and names ${named.length} (${row[FROM]})`,
      );
      figures.forEach((figure, index) => {
        const expected = named[index]!;
        assert.deepEqual(
          { kind: figure.kind, value: figure.value },
          { kind: expected.kind, value: expected.value },
          `${where}: "${figure.written}" is not ${expected.written}`,
        );
      });
    }
  }
});

test('docs/reliability.md gives each flag of serve its default, named beside it', () => {
  const byFlag = new Map(flaggedDefaults().map(([name, entry]) => [entry.flag.name, name]));
  const documented = new Set<string>();
  for (const { row, figures, named } of keyedRows('## Limits')) {
    const defaults = named.filter((_, index) => figures[index]?.title === 'default').map((key) => key.written);
    for (const [, flag] of row['flag of `serve`']!.matchAll(/`--([a-z-]+)`/g)) {
      const name = byFlag.get(flag!);
      assert.ok(name, `docs/reliability.md names --${flag}, which the defaults table does not have`);
      assert.ok(defaults.includes(`\`${name}\``), `--${flag}: its default column states no figure of ${name}`);
      documented.add(flag!);
    }
  }
  assert.deepEqual([...documented].sort(), [...byFlag.keys()].sort());
});

test('docs/reliability.md names test files that exist, holding the tests it quotes', () => {
  for (const paragraph of RELIABILITY.split(/\n\s*\n/)) {
    const text = paragraph.replace(/\s+/g, ' ');
    const files = [...text.matchAll(/`((?:test|bench)\/[\w./-]+\.ts)`/g)].map((match) => match[1]!);
    for (const file of files)
      assert.ok(existsSync(join(ROOT, file)), `docs/reliability.md names ${file}, which does not exist`);
    const sources = files.map((file) => readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' '));
    for (const [, quoted] of text.matchAll(/"([^"]*…[^"]*)"/g)) {
      const parts = quoted!
        .split('…')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      const holds = sources.some((source) =>
        [...source.matchAll(/\btest\((['"`])(.*?)\1/g)].some(([, , title]) =>
          parts.every((part) => title!.includes(part)),
        ),
      );
      assert.ok(
        holds,
        `docs/reliability.md quotes the test "${quoted}", not in ${files.join(', ') || 'a file named beside it'}`,
      );
    }
  }
});
