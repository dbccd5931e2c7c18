/**
 * The lesson store (src/server/state/): what is written is read back; a damaged store or one of
 * a newer relay is set aside and the relay starts fresh and serves; rows that are not what the
 * relay writes are left out; an old lesson is not restored but its key is; one relay per folder.
 * A store too large, holding more than the relay's tables or tables made otherwise is set aside;
 * only as many rows are read as the relay keeps, and the others leave the file.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LESSON_FILE,
  LessonStore,
  MAX_LESSON_FILE_BYTES,
  type KeptLesson,
} from '../../../src/server/state/lessonStore';
import { LOCK_FILE, StateLocked } from '../../../src/server/state/stateLock';
import { sqlJs } from '../../../src/server/state/sqlJs';
import { SCHEMA_VERSION } from '../../../src/server/state/schema';
import type { Hint } from '../../../src/server/state/keptRows';
import type { KeptClass } from '../../../src/server/classes/classRegistry';
import type { KeptStanding } from '../../../src/server/classroom/classroom';
import { KEPT_HINTS, ROSTER_QUESTION_CHARACTERS } from '../../../src/protocol/limits';
import { RELAY_DEFAULTS } from '../../../src/server/policy/defaults';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { FramedPeer } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const HOUR = 3_600_000;
const LESSON_MS = 12 * HOUR;
const START = Date.UTC(2026, 2, 2, 8, 0, 0);

const folders: string[] = [];
after(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'relay-store-'));
  folders.push(made);
  return made;
};

const HINT: Hint = {
  type: 'broadcast',
  from: 'Frau Keller',
  text: 'Tipp: recv(1024)',
  at: '2026-03-02T08:05:00.000Z',
  id: 'h1',
  teacher: true,
};

async function open(dir: string, at = START, lines: string[] = []): Promise<LessonStore> {
  return LessonStore.open({ dir, lessonMs: LESSON_MS, log: (line) => lines.push(line), clock: () => at });
}

async function keptIn(dir: string, at = START, lines: string[] = []): Promise<KeptLesson> {
  const store = await open(dir, at, lines);
  store.close();
  return store.kept;
}

test('what is written is read back at the next start: key, hints in order, hands, mutes and counts', async () => {
  const dir = folder();
  const store = await open(dir);
  assert.deepEqual(store.kept, { teacherKey: undefined, hints: [], standing: [], classes: [] });
  const second: Hint = { ...HINT, id: 'h2', text: 'Code', snippet: { code: 'print(1)\n', language: 'python' } };
  await store.write({
    teacherKey: 'kreide-tafel-schwamm',
    hints: [HINT, second],
    standing: [
      ['anna', { sent: 3, received: 4, hand: { at: '2026-03-02T08:10:00.000Z', question: 'Wie geht bind?' } }],
      ['ben', { sent: 1, received: 0, muted: { until: '2026-03-02T08:40:00.000Z' } }],
      ['dora', { sent: 0, received: 2, muted: {} }],
      ['gone', { sent: 9, received: 9 }],
    ],
  });
  await store.write({ standing: [['gone', undefined]] });
  store.close();
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'closing lets the folder go');
  const kept = await keptIn(dir, START + HOUR);
  assert.equal(kept.teacherKey, 'kreide-tafel-schwamm');
  assert.deepEqual(kept.hints, [HINT, second]);
  assert.deepEqual(
    new Map(kept.standing),
    new Map([
      ['anna', { sent: 3, received: 4, hand: { at: '2026-03-02T08:10:00.000Z', question: 'Wie geht bind?' } }],
      ['ben', { sent: 1, received: 0, muted: { until: '2026-03-02T08:40:00.000Z' } }],
      ['dora', { sent: 0, received: 2, muted: {} }],
    ]),
  );
  assert.equal(readFileSync(join(dir, LESSON_FILE)).subarray(0, 15).toString(), 'SQLite format 3', 'an SQLite file');
});

/** A class as the registry keeps it (classRegistry.ts). */
const CLASS: KeptClass = { code: '4kx-92m', keyDigest: 'ab'.repeat(32), madeBy: '127.0.0.1', madeAt: 1, usedAt: 2 };

test('the classes made on the relay are kept as a whole and read back, however old the lesson', async () => {
  const dir = folder();
  const store = await open(dir);
  const other = { ...CLASS, code: 'h7p-33q', madeBy: '::ffff:10.0.0.0/120' };
  await store.write({ standing: [], classes: [CLASS, other] });
  await store.write({ standing: [['anna', { sent: 1, received: 0 }]] });
  store.close();
  assert.deepEqual((await keptIn(dir, START + HOUR)).classes, [CLASS, other]);
  const again = await open(dir, START + HOUR);
  await again.write({ standing: [], classes: [other] });
  again.close();
  assert.deepEqual((await keptIn(dir, START + LESSON_MS + 2 * HOUR)).classes, [other], 'an ended class is gone');
});

test('a lesson older than lessonStateMs is not restored, but its teacher key is', async () => {
  const dir = folder();
  const store = await open(dir);
  await store.write({
    teacherKey: 'kreide-tafel-schwamm',
    hints: [HINT],
    standing: [['anna', { sent: 1, received: 1 }]],
  });
  store.close();
  const lines: string[] = [];
  const nextMorning = await open(dir, START + LESSON_MS + HOUR, lines);
  assert.deepEqual(nextMorning.kept, { teacherKey: 'kreide-tafel-schwamm', hints: [], standing: [], classes: [] });
  assert.match(lines.join('\n'), /kept 13 h ago is not restored: a new lesson begins \(the teacher key is kept\)/);
  await nextMorning.write({ standing: [] });
  nextMorning.close();
  const later = await keptIn(dir, START + LESSON_MS + 2 * HOUR);
  assert.deepEqual(
    later,
    { teacherKey: 'kreide-tafel-schwamm', hints: [], standing: [], classes: [] },
    'the old lesson is gone',
  );
});

test('rows that are not what the relay writes are left out with a log line; the good ones are kept', async () => {
  const dir = folder();
  const store = await open(dir);
  await store.write({
    teacherKey: 'kreide-tafel-schwamm',
    hints: [HINT],
    standing: [['anna', { sent: 2, received: 1 }]],
    classes: [CLASS],
  });
  store.close();
  const SQL = await sqlJs();
  const db = new SQL.Database(readFileSync(join(dir, LESSON_FILE)));
  db.run('INSERT INTO hints (position, hint) VALUES (5, ?)', ['{not json']);
  db.run('INSERT INTO hints (position, hint) VALUES (6, ?)', [JSON.stringify({ ...HINT, teacher: undefined })]);
  const row =
    'INSERT INTO standing (key, hand_at, question, muted, muted_until, sent, received) VALUES (?,?,?,?,?,?,?)';
  db.run(row, ['minus', null, null, 0, null, -1, 0]);
  db.run(row, ['text-count', null, null, 0, null, 'many', 0]);
  db.run(row, ['long-question', '2026-03-02T08:10:00.000Z', 'q'.repeat(ROSTER_QUESTION_CHARACTERS + 1), 0, null, 0, 0]);
  db.run(row, ['bad-time', '2026-03-02T08:10:00.000Z', null, 1, 'tomorrow-ish', 0, 0]);
  db.run(row, ['ctrl\u0007', null, null, 0, null, 0, 0]);
  const classRow = 'INSERT INTO classes (code, key_digest, made_by, made_at, used_at) VALUES (?,?,?,?,?)';
  db.run(classRow, ['4KX-92N', CLASS.keyDigest, 'x', 1, 1]);
  db.run(classRow, ['0ol-92m', CLASS.keyDigest, 'x', 1, 1]);
  db.run(classRow, ['h7p-33q', 'not-a-digest', 'x', 1, 1]);
  db.run(classRow, ['h7p-33r', CLASS.keyDigest, 'x', -1, 1]);
  writeFileSync(join(dir, LESSON_FILE), db.export());
  db.close();
  const lines: string[] = [];
  const kept = await keptIn(dir, START, lines);
  assert.deepEqual(kept, {
    teacherKey: 'kreide-tafel-schwamm',
    hints: [HINT],
    standing: [['anna', { sent: 2, received: 1 }]],
    classes: [CLASS],
  });
  assert.match(lines.join('\n'), /11 kept row\(s\) were not what the relay writes and are left out/);
});

test('a damaged store is set aside with one log line, and the relay starts fresh and serves', async () => {
  const dir = folder();
  writeFileSync(join(dir, LESSON_FILE), Buffer.alloc(8192, 0x5a));
  const { port, logs, relay: server } = await relay({ stateDir: dir });
  const aside = readdirSync(dir).filter((file) => file.startsWith(`${LESSON_FILE}.damaged-`));
  assert.equal(aside.length, 1);
  assert.equal(logs.filter((line) => line.includes('is damaged')).length, 1);
  assert.ok(server.teacherKey, 'a fresh key is made');
  const teacher = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: server.teacherKey });
  assert.equal((await teacher.next('roster')).total, 0, 'the made key makes a teacher, who gets the roster');
});

test('a store of a newer relay is set aside as such, and the relay starts fresh', async () => {
  const dir = folder();
  const SQL = await sqlJs();
  const db = new SQL.Database();
  db.exec(`CREATE TABLE future (x); PRAGMA user_version = ${SCHEMA_VERSION + 1};`);
  writeFileSync(join(dir, LESSON_FILE), db.export());
  db.close();
  const { port, logs } = await relay({ stateDir: dir, teacherKey: 'kreide-tafel-schwamm' });
  assert.equal(readdirSync(dir).filter((file) => file.startsWith(`${LESSON_FILE}.newer-`)).length, 1);
  assert.match(logs.join('\n'), /is of a newer relay \(schema 2\): set aside/);
  await FramedPeer.connect(port, 'Anna');
});

test('a second relay on the same folder refuses to start; a lock left by a process that is gone is taken over', async () => {
  const dir = folder();
  const { relay: first } = await relay({ stateDir: dir });
  await assert.rejects(
    relay({ stateDir: dir }),
    (error) => error instanceof StateLocked && error.message.includes(dir),
  );
  await first.close();
  writeFileSync(join(dir, LOCK_FILE), '2147483646');
  const { relay: second } = await relay({ stateDir: dir });
  assert.equal(second.teacherKey, first.teacherKey, 'the kept key, taken over with the folder');
  assert.equal(readFileSync(join(dir, LOCK_FILE), 'utf8'), String(process.pid));
});

test('a store larger than MAX_LESSON_FILE_BYTES is set aside unread, and a new lesson begins', async () => {
  const dir = folder();
  const store = await open(dir);
  await store.write({ teacherKey: 'kreide-tafel-schwamm', hints: [HINT], standing: [] });
  store.close();
  const file = join(dir, LESSON_FILE);
  const size = MAX_LESSON_FILE_BYTES + 1024 * 1024;
  // The database as it was, with a tail (sparse) no reader needs: too large all the same.
  truncateSync(file, size);
  const lines: string[] = [];
  const kept = await keptIn(dir, START, lines);
  assert.deepEqual(kept, { teacherKey: undefined, hints: [], standing: [], classes: [] });
  assert.match(lines.join('\n'), /is damaged \(65 MiB, larger than the 64 MiB a store may be\): set aside as/);
  const aside = readdirSync(dir).filter((name) => name.startsWith(`${LESSON_FILE}.damaged-`));
  assert.equal(aside.length, 1);
  assert.equal(statSync(join(dir, aside[0]!)).size, size);
});

test('a store holding more than the relay makes, or tables made otherwise, is set aside as damaged', async () => {
  const SQL = await sqlJs();
  const standingEnding = (end: string) =>
    'DROP TABLE standing; CREATE TABLE standing (key TEXT PRIMARY KEY, hand_at TEXT, question TEXT, ' +
    `muted INTEGER NOT NULL, muted_until TEXT, sent INTEGER NOT NULL${end}`;
  const cases: Array<[string, RegExp]> = [
    // A trigger would run its SQL at every write.
    ['CREATE TRIGGER wipe AFTER INSERT ON standing BEGIN DELETE FROM hints; END', /holds the trigger "wipe"/],
    ['CREATE VIEW names AS SELECT key FROM standing', /holds the view "names"/],
    ['CREATE INDEX by_hand ON standing (hand_at)', /holds the index "by_hand"/],
    ['CREATE TABLE notes (text)', /holds the table "notes"/],
    // Without its column, every write would fail.
    [standingEnding(')'), /the table "standing" has other columns than the relay's/],
    [standingEnding(', received INTEGER NOT NULL CHECK (received < 0))'), /"standing" is not made as the relay makes/],
    // Without rowid, its primary key is NOT NULL: a column of its own.
    [standingEnding(', received INTEGER NOT NULL) WITHOUT ROWID'), /"standing" has other columns/],
    [
      standingEnding(', received INTEGER NOT NULL)').replace('PRIMARY KEY', 'PRIMARY KEY COLLATE NOCASE'),
      /"standing" is not made as/,
    ],
    ['DROP TABLE hints', /the table "hints" is missing/],
  ];
  for (const [sql, why] of cases) {
    const dir = folder();
    const store = await open(dir);
    await store.write({ teacherKey: 'kreide-tafel-schwamm', standing: [['anna', { sent: 1, received: 1 }]] });
    store.close();
    const db = new SQL.Database(readFileSync(join(dir, LESSON_FILE)));
    db.exec(sql);
    writeFileSync(join(dir, LESSON_FILE), db.export());
    db.close();
    const lines: string[] = [];
    const kept = await keptIn(dir, START, lines);
    assert.deepEqual(kept, { teacherKey: undefined, hints: [], standing: [], classes: [] }, sql);
    assert.match(lines.join('\n'), why, sql);
    assert.match(lines.join('\n'), /is damaged .*: set aside as .*lesson\.sqlite\.damaged-/, sql);
  }
});

test('only what the relay keeps is read back: the last 50 hints, the 1,000 names written last; the rest leaves the file', async () => {
  const dir = folder();
  const store = await open(dir);
  const hints = Array.from({ length: KEPT_HINTS + 10 }, (_, i): Hint => ({ ...HINT, id: `h${i}`, text: `Tipp ${i}` }));
  const names = Array.from({ length: RELAY_DEFAULTS.departedStanding.value + 200 }, (_, i) => `n${i}`);
  await store.write({ hints, standing: names.map((name): [string, KeptStanding] => [name, { sent: 1, received: 0 }]) });
  // A name written again is among those written last.
  await store.write({ standing: [['n0', { sent: 2, received: 0 }]] });
  store.close();
  const lines: string[] = [];
  const next = await open(dir, START, lines);
  assert.deepEqual(
    next.kept.hints.map((hint) => hint.id),
    hints.slice(-KEPT_HINTS).map((hint) => hint.id),
    'the newest hints, in order',
  );
  assert.deepEqual(
    next.kept.standing.map(([name]) => name),
    [...names.slice(201), 'n0'],
    'the names written last, the oldest first',
  );
  assert.match(lines.join('\n'), /210 kept row\(s\) past the relay's bounds are left out/);
  await next.write({ standing: [] });
  next.close();
  const SQL = await sqlJs();
  const db = new SQL.Database(readFileSync(join(dir, LESSON_FILE)));
  const count = (table: string) => db.exec(`SELECT count(*) FROM ${table}`)[0]!.values[0]![0];
  assert.deepEqual([count('hints'), count('standing')], [KEPT_HINTS, RELAY_DEFAULTS.departedStanding.value]);
  db.close();
});
