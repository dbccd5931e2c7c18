/**
 * What each server spoke last time, so that with `relay.dialect: auto` the next connect tries
 * it first and skips the probe, which costs a course server about a second and a stray name
 * (openSession's `remembered`; detection runs only when it fails). Kept for 12 hours, as the
 * command line keeps it: a teacher who swaps servers behind one address the next day is probed
 * again.
 */
import type { Dialect } from '../../client/types';
import type { Storage } from './services';

export const DIALECT_MEMORY = 'relay.dialects';

export const DIALECT_KEEP_MS = 12 * 60 * 60_000;
const MAX_SERVERS = 50;
const DIALECTS: readonly Dialect[] = ['relay', 'course', 'course-lan'];

interface Entry {
  dialect: Dialect;
  /** When it was heard (ms since 1970). */
  at: number;
}

export class DialectMemory {
  constructor(private readonly storage: Storage, private readonly now: () => number) {}

  /** What `server` spoke within the last 12 hours. */
  recall(server: string): Dialect | undefined {
    const entry = this.read()[server];
    return entry && this.fresh(entry) ? entry.dialect : undefined;
  }

  async remember(server: string, dialect: Dialect): Promise<void> {
    const entries = this.read();
    entries[server] = { dialect, at: this.now() };
    const kept = Object.entries(entries)
      .filter(([, entry]) => this.fresh(entry))
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_SERVERS);
    await this.storage.update(DIALECT_MEMORY, Object.fromEntries(kept));
  }

  private fresh(entry: Entry): boolean {
    const age = this.now() - entry.at;
    return age >= 0 && age < DIALECT_KEEP_MS;
  }

  /** What is stored, without entries that are not well-formed. */
  private read(): Record<string, Entry> {
    const stored = this.storage.get<unknown>(DIALECT_MEMORY);
    const entries: Record<string, Entry> = {};
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return entries;
    for (const [server, value] of Object.entries(stored)) {
      const { dialect, at } = (value ?? {}) as Partial<Entry>;
      if (DIALECTS.includes(dialect as Dialect) && typeof at === 'number') entries[server] = { dialect: dialect as Dialect, at };
    }
    return entries;
  }
}
