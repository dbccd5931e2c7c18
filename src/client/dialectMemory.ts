/**
 * What each server spoke last time, so that with dialect auto the next connect tries it first
 * and skips the probe, which costs a course server about a second and a stray name (openSession's
 * `remembered`; detection runs only when it fails). Kept for 12 hours: a teacher who swaps
 * servers behind one address the next day is probed again. Pure: the extension keeps the entries
 * in VS Code's storage, the command line in a file.
 */
import type { Dialect } from './types';

export const DIALECT_KEEP_MS = 12 * 60 * 60_000;
const DIALECTS: readonly Dialect[] = ['relay', 'course', 'course-lan'];

export interface DialectEntry {
  dialect: Dialect;
  /** When it was heard (ms since 1970). */
  at: number;
}

export type DialectEntries = Record<string, DialectEntry>;

function fresh(entry: DialectEntry, now: number): boolean {
  const age = now - entry.at;
  return age >= 0 && age < DIALECT_KEEP_MS;
}

/** The well-formed entries of a stored value, whatever it is. */
export function readDialectEntries(stored: unknown): DialectEntries {
  const entries: DialectEntries = {};
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return entries;
  for (const [server, value] of Object.entries(stored)) {
    const { dialect, at } = (value ?? {}) as Partial<DialectEntry>;
    if (DIALECTS.includes(dialect as Dialect) && typeof at === 'number')
      entries[server] = { dialect: dialect as Dialect, at };
  }
  return entries;
}

/** What `server` spoke within the last 12 hours. */
export function recallDialect(entries: DialectEntries, server: string, now: number): Dialect | undefined {
  const entry = entries[server];
  return entry && fresh(entry, now) ? entry.dialect : undefined;
}

/** The entries with `server`'s dialect heard now: the fresh ones, the `max` most recent. */
export function withDialect(
  entries: DialectEntries,
  server: string,
  dialect: Dialect,
  now: number,
  max: number,
): DialectEntries {
  const kept = Object.entries({ ...entries, [server]: { dialect, at: now } })
    .filter(([, entry]) => fresh(entry, now))
    .sort(([, a], [, b]) => b.at - a.at)
    .slice(0, max);
  return Object.fromEntries(kept);
}
