/**
 * What each server spoke last time, so `--dialect auto` can skip the probe that costs a course
 * server a second and a stray name. Kept in a small JSON file in the user's cache folder, for
 * 12 hours (a teacher who swaps servers behind one address the next day is probed again). A
 * damaged or unreadable file is reported once and replaced; it never stops a command.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readDialectEntries, recallDialect, withDialect, type DialectEntries } from '../client/dialectMemory';
import type { Dialect } from '../client/types';

const MAX_SERVERS = 200;

export function dialectMemoryFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.RELAY_DIALECT_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'classroom-relay', 'dialects.json')
  );
}

export class DialectMemory {
  private warned = false;

  constructor(
    private readonly file: string,
    private readonly warn: (line: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  recall(server: string): Dialect | undefined {
    return recallDialect(this.read(), server, this.clock());
  }

  remember(server: string, dialect: Dialect): void {
    const entries = withDialect(this.read(), server, dialect, this.clock(), MAX_SERVERS);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(entries, null, 1)}\n`);
      renameSync(temporary, this.file);
    } catch (error) {
      this.warn(
        `classroom-relay: could not remember the server's dialect in ${this.file}: ${(error as Error).message}`,
      );
    }
  }

  private read(): DialectEntries {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return readDialectEntries(parsed);
    } catch (error) {
      if (!this.warned)
        this.warn(
          `classroom-relay: ignoring the damaged dialect cache ${this.file} (${(error as Error).message}); it is written anew`,
        );
      this.warned = true;
      return {};
    }
  }
}
