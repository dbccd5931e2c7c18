/**
 * The chat history's folder on disk (the extension's globalStorageUri, or a test's temporary
 * folder), through node:fs. Synchronous on purpose: each file is bounded (see historyStore.ts),
 * it is read once per connect and written in batches, and a history that is written in one
 * piece never interleaves with another write of it.
 */
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { HistoryFiles } from '../../ports';

/** The names this folder holds: nothing that could climb out of it or hide in it. */
const FILE_NAME = /^[\w.-]+$/;

export class NodeHistoryFiles implements HistoryFiles {
  constructor(readonly folder: string) {}

  list(): Array<{ name: string; bytes: number; modified: Date }> {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const files: Array<{ name: string; bytes: number; modified: Date }> = [];
    for (const name of names) {
      if (!FILE_NAME.test(name) || name.endsWith('.tmp')) continue;
      try {
        const stats = statSync(join(this.folder, name));
        if (stats.isFile()) files.push({ name, bytes: stats.size, modified: stats.mtime });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    return files;
  }

  read(name: string): string | undefined {
    try {
      return readFileSync(this.path(name), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  append(name: string, text: string): void {
    this.ensureFolder();
    appendFileSync(this.path(name), text, 'utf8');
  }

  replace(name: string, text: string): void {
    this.ensureFolder();
    const temporary = `${this.path(name)}.tmp`;
    writeFileSync(temporary, text, 'utf8');
    try {
      renameSync(temporary, this.path(name));
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }

  touch(name: string): void {
    const now = new Date();
    try {
      utimesSync(this.path(name), now, now);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  private path(name: string): string {
    if (!FILE_NAME.test(name)) throw new Error(`not a history file name: ${JSON.stringify(name)}`);
    return join(this.folder, name);
  }

  /** Made on the first write, and again if someone removed it meanwhile. */
  private ensureFolder(): void {
    mkdirSync(this.folder, { recursive: true });
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
