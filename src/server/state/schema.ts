/**
 * The lesson store's tables, and whether a file holds them: its schema version is SQLite's
 * `user_version`. A file of a newer version is another relay's, and is not read.
 */
import type { Database } from 'sql.js';

export const SCHEMA_VERSION = 1;

const TABLES = `
  CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS hints (position INTEGER PRIMARY KEY, hint TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS standing (
    key TEXT PRIMARY KEY,
    hand_at TEXT,
    question TEXT,
    muted INTEGER NOT NULL,
    muted_until TEXT,
    sent INTEGER NOT NULL,
    received INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS classes (
    code TEXT PRIMARY KEY,
    key_digest TEXT NOT NULL,
    made_by TEXT NOT NULL,
    made_at INTEGER NOT NULL,
    used_at INTEGER NOT NULL
  );
`;

export function createSchema(db: Database): void {
  db.exec(`${TABLES} PRAGMA user_version = ${SCHEMA_VERSION};`);
}

/** What a file read into `db` is: ours, a newer relay's, or not a lesson store (or not a database) at all. */
export type FileVerdict = { type: 'ours' } | { type: 'newer'; version: number } | { type: 'damaged'; why: string };

export function checkFile(db: Database): FileVerdict {
  try {
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]);
    if (version > SCHEMA_VERSION) return { type: 'newer', version };
    const integrity = db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0];
    if (integrity !== 'ok') return { type: 'damaged', why: `the integrity check says ${String(integrity)}` };
    if (version !== SCHEMA_VERSION) return { type: 'damaged', why: `schema version ${version}` };
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.map(([name]) => name);
    for (const table of ['meta', 'hints', 'standing'])
      if (!tables?.includes(table)) return { type: 'damaged', why: `the table "${table}" is missing` };
    return { type: 'ours' };
  } catch (error) {
    return { type: 'damaged', why: (error as Error).message };
  }
}
