/**
 * What each server spoke last time, so `--dialect auto` can skip the probe that costs a course
 * server a second and a stray name. Kept in a small JSON file in the user's cache folder, for
 * 12 hours (a teacher who swaps servers behind one address the next day is probed again). A
 * damaged or unreadable file is reported once and replaced; it never stops a command.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Dialect } from '../client/types';

const KEEP_MS = 12 * 60 * 60_000;
const MAX_SERVERS = 200;
const DIALECTS: readonly Dialect[] = ['relay', 'course', 'course-lan'];

interface Entry {
  dialect: Dialect;
  at: number;
}

export function dialectMemoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.RELAY_DIALECT_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'classroom-relay', 'dialects.json');
}

export class DialectMemory {
  private warned = false;

  constructor(private readonly file: string, private readonly warn: (line: string) => void, private readonly clock: () => number = Date.now) {}

  recall(server: string): Dialect | undefined {
    const entry = this.read()[server];
    return entry && this.clock() - entry.at < KEEP_MS ? entry.dialect : undefined;
  }

  remember(server: string, dialect: Dialect): void {
    const entries = this.read();
    entries[server] = { dialect, at: this.clock() };
    const kept = Object.entries(entries)
      .filter(([, entry]) => this.clock() - entry.at < KEEP_MS)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, MAX_SERVERS);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(Object.fromEntries(kept), null, 1)}\n`);
      renameSync(temporary, this.file);
    } catch (error) {
      this.warn(`classroom-relay: could not remember the server's dialect in ${this.file}: ${(error as Error).message}`);
    }
  }

  private read(): Record<string, Entry> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      const entries: Record<string, Entry> = {};
      for (const [server, value] of Object.entries(parsed)) {
        const { dialect, at } = (value ?? {}) as Partial<Entry>;
        if (DIALECTS.includes(dialect as Dialect) && typeof at === 'number') entries[server] = { dialect: dialect as Dialect, at };
      }
      return entries;
    } catch (error) {
      if (!this.warned) this.warn(`classroom-relay: ignoring the damaged dialect cache ${this.file} (${(error as Error).message}); it is written anew`);
      this.warned = true;
      return {};
    }
  }
}
