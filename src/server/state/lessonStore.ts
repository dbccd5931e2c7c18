/**
 * The lesson as the relay keeps it on disk: one SQLite file (lesson.sqlite) in the state folder,
 * held in memory by sql.js and written whole, atomically, after each batch of changes. Opening
 * it never fails for what the file holds: a damaged file, one too large, or one of a newer relay
 * is set aside and the lesson starts fresh; rows that are not what the relay writes are left out,
 * and so are rows past the relay's bounds (they are deleted from the file with the next write).
 */
import { closeSync, fstatSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import { KEPT_HINTS, MAX_TEACHER_KEY_BYTES } from '../../protocol/limits';
import { hasControls } from '../../protocol/sanitize';
import { utf8Length } from '../../protocol/utf8';
import type { KeptStanding } from '../classroom/classroom';
import { RELAY_DEFAULTS as D } from '../policy/defaults';
import { writeAtomically } from './atomicFile';
import { classOfRow, hintOfRow, standingOfRow, type ClassRow, type Hint, type StandingRow } from './keptRows';
import type { KeptClass } from '../classes/classRegistry';
import { checkFile, createSchema, type FileVerdict } from './schema';
import { sqlJs } from './sqlJs';
import { lockState, type StateLock } from './stateLock';
import { openIfThere } from './existingFile';

export const LESSON_FILE = 'lesson.sqlite';

/**
 * A larger file is not read (it is set aside): a relay with the default limits writes at most
 * about 36 MiB (5,600 names of 1 KiB, each with a hand, a question of 200 characters and a mute).
 */
export const MAX_LESSON_FILE_BYTES = 64 * 1024 * 1024;

/**
 * What a start finds kept: the teacher key and the classes made on the relay (always), and the
 * lesson's hints and standing (when recent).
 */
export interface KeptLesson {
  teacherKey: string | undefined;
  hints: Hint[];
  standing: Array<[string, KeptStanding]>;
  classes: KeptClass[];
}

/**
 * What changed since the last write: `hints` when they changed; a standing `undefined` is
 * forgotten; `teacherKey` a key to keep, `null` to forget the kept one.
 */
export interface LessonBatch {
  teacherKey?: string | null;
  hints?: readonly Hint[];
  standing: ReadonlyArray<[string, KeptStanding | undefined]>;
  /** Every class the relay keeps now, when they changed. */
  classes?: readonly KeptClass[];
}

export interface LessonStoreOptions {
  dir: string;
  /** Hints and standing older than this are not restored: a new lesson begins. */
  lessonMs: number;
  /** One line for the relay's log. */
  log: (detail: string) => void;
  clock?: () => number;
}

export class LessonStore {
  private constructor(
    private readonly db: Database,
    private readonly file: string,
    private readonly lock: StateLock,
    private readonly clock: () => number,
    readonly kept: KeptLesson,
  ) {}

  /** Opens (or makes) the store in `dir`; refuses (StateLocked) when another relay keeps its lesson there. */
  static async open(options: LessonStoreOptions): Promise<LessonStore> {
    const { dir, log } = options;
    const clock = options.clock ?? Date.now;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = lockState(dir);
    try {
      const SQL = await sqlJs();
      const file = join(dir, LESSON_FILE);
      let db: Database | undefined;
      const bytes = readIfThere(file);
      if (bytes !== undefined) {
        let verdict: FileVerdict;
        if (typeof bytes === 'number')
          verdict = {
            type: 'damaged',
            why: `${mib(bytes)}, larger than the ${mib(MAX_LESSON_FILE_BYTES)} a store may be`,
          };
        else {
          try {
            db = new SQL.Database(bytes);
          } catch {
            db = undefined;
          }
          verdict = db ? checkFile(db, SQL) : { type: 'damaged', why: 'not a database' };
        }
        if (verdict.type !== 'ours') {
          db?.close();
          db = undefined;
          const aside = `${file}.${verdict.type}-${new Date(clock()).toISOString().replace(/[:.]/g, '-')}`;
          renameSync(file, aside);
          log(
            verdict.type === 'newer'
              ? `${file} is of a newer relay (schema ${verdict.version}): set aside as ${aside}; a new lesson begins`
              : `${file} is damaged (${verdict.why}): set aside as ${aside}; a new lesson begins`,
          );
        }
      }
      db ??= new SQL.Database();
      createSchema(db);
      // What is deleted (a forgotten key, a student's question) leaves no trace in the file.
      db.exec('PRAGMA secure_delete = ON');
      return new LessonStore(db, file, lock, clock, load(db, options.lessonMs, clock, log));
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Writes one batch in one transaction, then the file (atomically). */
  async write(batch: LessonBatch): Promise<void> {
    const { db } = this;
    db.exec('BEGIN');
    try {
      if (batch.teacherKey === null) db.run("DELETE FROM meta WHERE name = 'teacher-key'");
      else if (batch.teacherKey !== undefined) setMeta(db, 'teacher-key', batch.teacherKey);
      setMeta(db, 'saved-at', String(this.clock()));
      if (batch.hints) {
        db.exec('DELETE FROM hints');
        batch.hints.forEach((hint, position) =>
          db.run('INSERT INTO hints (position, hint) VALUES (?, ?)', [position, JSON.stringify(hint)]),
        );
      }
      if (batch.classes) {
        db.exec('DELETE FROM classes');
        for (const entry of batch.classes)
          db.run('INSERT INTO classes (code, key_digest, made_by, made_at, used_at) VALUES (?, ?, ?, ?, ?)', [
            entry.code,
            entry.keyDigest,
            entry.madeBy,
            entry.madeAt,
            entry.usedAt,
          ]);
      }
      for (const [key, standing] of batch.standing) {
        if (!standing) db.run('DELETE FROM standing WHERE key = ?', [key]);
        else
          db.run(
            'INSERT OR REPLACE INTO standing (key, hand_at, question, muted, muted_until, sent, received) ' +
              'VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
              key,
              standing.hand?.at ?? null,
              standing.hand?.question ?? null,
              standing.muted ? 1 : 0,
              standing.muted?.until ?? null,
              standing.sent,
              standing.received,
            ],
          );
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    // export() frees prepared statements: none is kept across it.
    await writeAtomically(this.file, db.export());
  }

  close(): void {
    this.db.close();
    this.lock.release();
  }
}

/** The file's bytes; its size when it is too large to read; undefined when there is none. */
function readIfThere(file: string): Uint8Array | number | undefined {
  const fd = openIfThere(file);
  if (fd === undefined) return undefined;
  try {
    const { size } = fstatSync(fd);
    return size > MAX_LESSON_FILE_BYTES ? size : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

function mib(bytes: number): string {
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
}

function setMeta(db: Database, name: string, value: string): void {
  db.run('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)', [name, value]);
}

function rows(db: Database, sql: string, params: SqlValue[] = []): Array<Record<string, SqlValue>> {
  const result = db.exec(sql, params)[0];
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((column, i) => [column, values[i]!])));
}

/** Deletes the rows of `table` past the last `keep` by `order`; says how many went. */
function deleteBeyond(db: Database, table: string, order: string, keep: number): number {
  const newest = `SELECT ${order} FROM ${table} ORDER BY ${order} DESC LIMIT ?`;
  db.run(`DELETE FROM ${table} WHERE ${order} NOT IN (${newest})`, [keep]);
  return db.getRowsModified();
}

/**
 * The kept lesson, its bad rows left out (and deleted), its hints and standing only when recent.
 * Only as many rows are read as the relay keeps: the last KEPT_HINTS hints and the standing of
 * the `departedStanding` names written last (a replaced row takes a new rowid); rows past these
 * bounds are deleted.
 */
function load(db: Database, lessonMs: number, clock: () => number, log: (detail: string) => void): KeptLesson {
  const meta = new Map(
    rows(db, "SELECT name, value FROM meta WHERE name IN ('teacher-key', 'saved-at')").map((row) => [
      row.name,
      row.value,
    ]),
  );
  const standingRows = D.departedStanding.value;
  const beyond =
    deleteBeyond(db, 'hints', 'position', KEPT_HINTS) + deleteBeyond(db, 'standing', 'rowid', standingRows);
  if (beyond > 0) log(`${beyond} kept row(s) past the relay's bounds are left out`);
  let bad = 0;
  let teacherKey: string | undefined;
  const storedKey = meta.get('teacher-key');
  if (storedKey !== undefined) {
    if (isTeacherKey(storedKey)) teacherKey = storedKey;
    else {
      bad++;
      db.run("DELETE FROM meta WHERE name = 'teacher-key'");
    }
  }
  const hints: Hint[] = [];
  const hintRows = rows(db, 'SELECT position, hint FROM hints ORDER BY position DESC LIMIT ?', [KEPT_HINTS]);
  for (const row of hintRows.reverse()) {
    const hint = hintOfRow(row.hint);
    if (hint) hints.push(hint);
    else {
      bad++;
      db.run('DELETE FROM hints WHERE position = ?', [row.position ?? null]);
    }
  }
  const standing: Array<[string, KeptStanding]> = [];
  const columns = 'rowid AS kept_row, key, hand_at, question, muted, muted_until, sent, received';
  // Oldest first, as the classroom keeps them: it forgets the oldest departed names first.
  const standingOf = rows(db, `SELECT ${columns} FROM standing ORDER BY rowid DESC LIMIT ?`, [standingRows]);
  for (const row of standingOf.reverse()) {
    const kept = standingOfRow(row as unknown as StandingRow);
    if (kept) standing.push(kept);
    else {
      bad++;
      db.run('DELETE FROM standing WHERE rowid = ?', [row.kept_row ?? null]);
    }
  }
  const classes: KeptClass[] = [];
  // As many classes as the relay keeps, those last written; any more leave the file with the next write.
  const maxClasses = D.maxClasses.value;
  db.run('DELETE FROM classes WHERE rowid NOT IN (SELECT rowid FROM classes ORDER BY rowid DESC LIMIT ?)', [
    maxClasses,
  ]);
  for (const row of rows(db, 'SELECT rowid AS kept_row, * FROM classes')) {
    const kept = classOfRow(row as unknown as ClassRow);
    if (kept) classes.push(kept);
    else {
      bad++;
      db.run('DELETE FROM classes WHERE rowid = ?', [row.kept_row ?? null]);
    }
  }
  if (bad > 0) log(`${bad} kept row(s) were not what the relay writes and are left out`);
  const savedAt = Number(meta.get('saved-at'));
  const age = clock() - savedAt;
  if ((hints.length > 0 || standing.length > 0) && !(age <= lessonMs)) {
    db.exec('DELETE FROM hints; DELETE FROM standing;');
    const hours = Number.isFinite(age) ? `${Math.round(age / 3_600_000)} h` : 'an unknown time';
    log(`the lesson kept ${hours} ago is not restored: a new lesson begins (the teacher key is kept)`);
    return { teacherKey, hints: [], standing: [], classes };
  }
  if (hints.length > 0 || standing.length > 0)
    log(`lesson restored: ${hints.length} hint(s), standing of ${standing.length} name(s)`);
  return { teacherKey, hints, standing, classes };
}

function isTeacherKey(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && utf8Length(value) <= MAX_TEACHER_KEY_BYTES && !hasControls(value);
}
