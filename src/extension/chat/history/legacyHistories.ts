/**
 * Histories used to live in VS Code's global state (one value for the whole extension): what is
 * there is moved into files once, and removed from it.
 */
import { errorMessage } from '../../errorText';
import type { HistoryFiles, Log, Storage } from '../../ports';
import type { Translate } from '../../translate';
import { historyFileName, LEGACY_PREFIX } from './historyFileNames';
import { serialize } from './historyLines';
import { isStoredChat } from './storedChat';

export interface LegacyServices {
  files: HistoryFiles;
  /** VS Code's global state. */
  storage: Storage;
  log: Log;
  t: Translate;
}

export class LegacyHistories {
  private listed = false;

  constructor(private readonly services: LegacyServices) {}

  /**
   * Moves histories out of VS Code's global state into files: all of them the first time (when
   * the storage can list its keys), and the one of `key`, being opened, in any case.
   */
  moveIntoFiles(key: string): void {
    const { storage, files, log, t } = this.services;
    const keys = new Set<string>([key]);
    if (!this.listed) {
      this.listed = true;
      try {
        for (const candidate of storage.keys?.() ?? []) if (candidate.startsWith(LEGACY_PREFIX)) keys.add(candidate);
      } catch {
        // Without the list, each history moves when it is opened.
      }
    }
    let moved = 0;
    let dropped = 0;
    for (const legacy of keys) {
      const value = storage.get<unknown>(legacy);
      if (value === undefined) continue;
      const name = historyFileName(legacy);
      try {
        if (!isStoredChat(value)) dropped++;
        else if (files.read(name) === undefined) {
          // Damaged items go along and are skipped, with the others of the file, when it is read.
          files.replace(name, serialize(legacy, value));
          moved++;
        }
      } catch (error) {
        log.warn(t('A chat history could not be moved into a file; it stays where it was: {0}', errorMessage(error)));
        continue;
      }
      // Whether the state lets go of it or not, the file is what is read from now on.
      void Promise.resolve(storage.update(legacy, undefined)).then(undefined, () => undefined);
    }
    if (dropped > 0)
      log.warn(t("{0} chat histories in VS Code's state could not be read; they were removed.", dropped));
    if (moved > 0) log.info(t("{0} chat histories were moved from VS Code's state into files.", moved));
  }
}
