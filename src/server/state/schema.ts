/**
 * The lesson store's tables, and whether a file holds them: its schema version is SQLite's
 * `user_version`. A file of a newer version is another relay's, and is not read. A file of this
 * version is read only when its schema is the relay's and nothing more: no trigger or view (which
 * could run SQL at every write), no other table or index, and its tables made as the relay makes
 * them (a missing column, a constraint of its own or a table without rowid would fail every write
 * or read).
 */
import type { Database, SqlJsStatic } from 'sql.js';

export const SCHEMA_VERSION = 1;

/** Compared with a file's tables, spaces aside: a change to it needs a new SCHEMA_VERSION. */
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

/** Checks `db` against the schema `SQL` makes of TABLES. */
export function checkFile(db: Database, SQL: SqlJsStatic): FileVerdict {
  try {
    const version = Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0]);
    if (version > SCHEMA_VERSION) return { type: 'newer', version };
    const integrity = db.exec('PRAGMA integrity_check')[0]?.values[0]?.[0];
    if (integrity !== 'ok') return { type: 'damaged', why: `the integrity check says ${String(integrity)}` };
    if (version !== SCHEMA_VERSION) return { type: 'damaged', why: `schema version ${version}` };
    const relays = new SQL.Database();
    try {
      createSchema(relays);
      return sameSchema(db, relays);
    } finally {
      relays.close();
    }
  } catch (error) {
    return { type: 'damaged', why: (error as Error).message };
  }
}

/** An entry of sqlite_master: a table, an index (SQLite's own for a primary key, too), a view or a trigger. */
interface SchemaEntry {
  type: unknown;
  table: unknown;
  sql: unknown;
}

function sameSchema(db: Database, relays: Database): FileVerdict {
  const found = entriesOf(db);
  const wanted = entriesOf(relays);
  for (const [name, want] of wanted) {
    const entry = found.get(name);
    if (!entry || entry.type !== want.type || entry.table !== want.table)
      return { type: 'damaged', why: `the ${String(want.type)} "${name}" is missing` };
    if (want.type !== 'table') continue;
    if (columnsOf(db, name) !== columnsOf(relays, name))
      return { type: 'damaged', why: `the table "${name}" has other columns than the relay's` };
    if (spaceless(entry.sql) !== spaceless(want.sql))
      return { type: 'damaged', why: `the table "${name}" is not made as the relay makes it` };
  }
  for (const [name, entry] of found)
    if (!wanted.has(name))
      return { type: 'damaged', why: `it holds the ${String(entry.type)} "${name}", which the relay does not make` };
  return { type: 'ours' };
}

function entriesOf(db: Database): Map<string, SchemaEntry> {
  const values = db.exec('SELECT name, type, tbl_name, sql FROM sqlite_master')[0]?.values ?? [];
  return new Map(values.map(([name, type, table, sql]) => [String(name), { type, table, sql }]));
}

/** A table's columns as PRAGMA table_info gives them: name, type, NOT NULL, default and primary key. */
function columnsOf(db: Database, table: string): string {
  return JSON.stringify(db.exec(`PRAGMA table_info("${table}")`)[0]?.values ?? []);
}

function spaceless(sql: unknown): string | undefined {
  return typeof sql === 'string' ? sql.replace(/\s+/g, '') : undefined;
}
