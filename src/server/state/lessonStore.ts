/**
 * The lesson as the relay keeps it on disk: one SQLite file (lesson.sqlite) in the state folder,
 * held in memory by sql.js and written whole, atomically, after each batch of changes. Opening
 * it never fails for what the file holds: a damaged file or one of a newer relay is set aside
 * and the lesson starts fresh; rows that are not what the relay writes are left out.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import { MAX_TEACHER_KEY_BYTES } from '../../protocol/limits';
import { hasControls } from '../../protocol/sanitize';
import { utf8Length } from '../../protocol/utf8';
import type { KeptStanding } from '../classroom/classroom';
import { writeAtomically } from './atomicFile';
import { classOfRow, hintOfRow, standingOfRow, type ClassRow, type Hint, type StandingRow } from './keptRows';
import type { KeptClass } from '../classes/classRegistry';
import { checkFile, createSchema } from './schema';
import { sqlJs } from './sqlJs';
import { lockState, type StateLock } from './stateLock';

export const LESSON_FILE = 'lesson.sqlite';

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

/** What changed since the last write: `hints` when they changed; a standing `undefined` is forgotten. */
export interface LessonBatch {
  teacherKey?: string;
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
      if (bytes) {
        try {
          db = new SQL.Database(bytes);
        } catch {
          db = undefined;
        }
        const verdict = db ? checkFile(db) : { type: 'damaged' as const, why: 'not a database' };
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
      if (batch.teacherKey !== undefined) setMeta(db, 'teacher-key', batch.teacherKey);
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

function readIfThere(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function setMeta(db: Database, name: string, value: string): void {
  db.run('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)', [name, value]);
}

function rows(db: Database, sql: string): Array<Record<string, SqlValue>> {
  const result = db.exec(sql)[0];
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((column, i) => [column, values[i]!])));
}

/** The kept lesson, its bad rows left out (and deleted), its hints and standing only when recent. */
function load(db: Database, lessonMs: number, clock: () => number, log: (detail: string) => void): KeptLesson {
  const meta = new Map(rows(db, 'SELECT name, value FROM meta').map((row) => [row.name, row.value]));
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
  for (const row of rows(db, 'SELECT position, hint FROM hints ORDER BY position')) {
    const hint = hintOfRow(row.hint);
    if (hint) hints.push(hint);
    else {
      bad++;
      db.run('DELETE FROM hints WHERE position = ?', [row.position ?? null]);
    }
  }
  const standing: Array<[string, KeptStanding]> = [];
  for (const row of rows(db, 'SELECT * FROM standing')) {
    const kept = standingOfRow(row as unknown as StandingRow);
    if (kept) standing.push(kept);
    else {
      bad++;
      db.run('DELETE FROM standing WHERE rowid = (SELECT rowid FROM standing WHERE key IS ? LIMIT 1)', [
        row.key ?? null,
      ]);
    }
  }
  const classes: KeptClass[] = [];
  for (const row of rows(db, 'SELECT * FROM classes')) {
    const kept = classOfRow(row as unknown as ClassRow);
    if (kept) classes.push(kept);
    else {
      bad++;
      db.run('DELETE FROM classes WHERE rowid = (SELECT rowid FROM classes WHERE code IS ? LIMIT 1)', [
        row.code ?? null,
      ]);
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
