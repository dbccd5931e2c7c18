/**
 * Chat history in files, one per server and name, in the extension's storage folder.
 *
 * A file is JSON lines (historyLines.ts): each change to the chat (a message, how it fared, a
 * name as written, something read) is appended as one line, a burst of them in one write. When
 * the file has grown to twice what it held after its last rewrite, it is rewritten from the chat
 * as it is (the chat keeps itself within relay.historySize and CHAT_BOUNDS). Histories not used
 * for 90 days are removed, and so are the least recently used ones while all of them together
 * exceed 64 MB (HISTORY_BOUNDS, historyPruning.ts). A line or a file that cannot be read is
 * skipped, with one log line. Histories VS Code's global state kept before are moved into files
 * (legacyHistories.ts).
 */
import type { ServerAddress } from '../../../protocol/address';
import { errorMessage } from '../../errorText';
import type { Clock, Disposable, HistoryFiles, Log, Storage } from '../../ports';
import type { Translate } from '../../translate';
import { FILE_PATTERN, historyFileName, historyKey } from './historyFileNames';
import { replay, serialize } from './historyLines';
import { pruneHistories, type HistoryFileInfo } from './historyPruning';
import { LegacyHistories } from './legacyHistories';
import type { HistoryRecord, StoredChat } from './storedChat';

const MiB = 1024 * 1024;

/** Changes wait this long, so that a burst of messages is one write. */
export const FLUSH_DELAY_MS = 200;

export interface HistoryBounds {
  /** All histories together; the least recently used go first. */
  totalBytes: number;
  /**
   * Larger than any history written here can grow (twice CHAT_BOUNDS.chatBytes, and a burst):
   * such a file is not read.
   */
  fileBytes: number;
  /** A history not used for this long is removed. */
  unusedDays: number;
  /** A file is rewritten once it grew by this much at least, and to twice its size after the last rewrite. */
  growthBytes: number;
}

export const HISTORY_BOUNDS: HistoryBounds = {
  totalBytes: 64 * MiB,
  fileBytes: 32 * MiB,
  unusedDays: 90,
  growthBytes: 256 * 1024,
};

export interface HistoryStoreServices {
  files: HistoryFiles;
  /** VS Code's global state, where histories were kept before. */
  storage: Storage;
  clock: Clock;
  log: Log;
  t: Translate;
  bounds?: Partial<HistoryBounds>;
}

interface OpenFile {
  key: string;
  name: string;
  /** What the server and name read as in the log. */
  label: string;
  bytes: number;
  /** Rewrite when the file grows past this. */
  rewriteAt: number;
  snapshot: () => StoredChat;
  /** A write failed already: said once, not again. */
  failed: boolean;
}

export class HistoryStore implements Disposable {
  private current: OpenFile | undefined;
  private lines: string[] = [];
  private rewrite = false;
  private timer: Disposable | undefined;
  private readonly legacy: LegacyHistories;
  private readonly bounds: HistoryBounds;

  constructor(private readonly services: HistoryStoreServices) {
    this.bounds = { ...HISTORY_BOUNDS, ...services.bounds };
    this.legacy = new LegacyHistories(services);
  }

  /**
   * The history of `name` on `server`, from now on the one changes go to; `snapshot` gives the
   * whole chat when the file is rewritten. Undefined when there is none (or none readable).
   */
  open(server: ServerAddress, name: string, snapshot: () => StoredChat): StoredChat | undefined {
    this.close();
    const key = historyKey(server, name);
    const file: OpenFile = {
      key,
      name: historyFileName(key),
      label: `${name} @ ${server.host}:${server.port}${server.classCode === undefined ? '' : `/${server.classCode}`}`,
      bytes: 0,
      rewriteAt: this.bounds.growthBytes,
      snapshot,
      failed: false,
    };
    this.current = file;
    this.legacy.moveIntoFiles(key);
    const listed = this.list();
    const { stored, damaged } = this.read(file, listed?.find((candidate) => candidate.name === file.name)?.bytes);
    if (damaged) this.rewriteSoon();
    try {
      this.services.files.touch(file.name);
    } catch {
      // Only the order in which unused histories go depends on it.
    }
    // The open file counts with the size it has now (none, if it was too large to read).
    if (listed)
      this.prune(
        listed.map((candidate) => (candidate.name === file.name ? { ...candidate, bytes: file.bytes } : candidate)),
        file.name,
      );
    return stored;
  }

  /** Keeps `record` with the history that is open: written within FLUSH_DELAY_MS. */
  record(record: HistoryRecord): void {
    if (!this.current) return;
    this.lines.push(`${JSON.stringify(record)}\n`);
    this.schedule();
  }

  /** The history is to be written anew from the chat (its bounds changed, or its conversations did). */
  rewriteSoon(): void {
    if (!this.current) return;
    this.rewrite = true;
    this.schedule();
  }

  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    const file = this.current;
    if (!file) return;
    const text = this.lines.join('');
    this.lines = [];
    if (text !== '' && !this.rewrite) {
      if (this.attempt(file, () => this.services.files.append(file.name, text))) file.bytes += Buffer.byteLength(text);
      else this.rewrite = true;
    }
    if (this.rewrite || file.bytes > file.rewriteAt) this.rewriteFile(file);
  }

  dispose(): void {
    this.close();
  }

  private close(): void {
    this.flush();
    this.current = undefined;
    this.rewrite = false;
  }

  private schedule(): void {
    this.timer ??= this.services.clock.after(FLUSH_DELAY_MS, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  private rewriteFile(file: OpenFile): void {
    this.rewrite = false;
    const text = serialize(file.key, file.snapshot());
    if (!this.attempt(file, () => this.services.files.replace(file.name, text))) return;
    file.bytes = Buffer.byteLength(text);
    file.rewriteAt = Math.max(2 * file.bytes, file.bytes + this.bounds.growthBytes);
    const listed = this.list();
    if (listed) this.prune(listed, file.name);
  }

  /** Runs a write; a failure is logged the first time only. */
  private attempt(file: OpenFile, write: () => void): boolean {
    try {
      write();
      file.failed = false;
      return true;
    } catch (error) {
      if (!file.failed)
        this.services.log.warn(
          this.services.t('The chat history of {0} could not be saved: {1}', file.label, errorMessage(error)),
        );
      file.failed = true;
      return false;
    }
  }

  /** `size`: the file's size as listed, if it is. */
  private read(file: OpenFile, size: number | undefined): { stored: StoredChat | undefined; damaged: boolean } {
    const { t, log, files } = this.services;
    let text: string | undefined;
    try {
      if (size !== undefined && size > this.bounds.fileBytes) {
        // Never written like this here: reading it could take all the memory there is.
        log.warn(
          t(
            'The chat history of {0} is larger than {1} MB, so it cannot be a history kept here; it was removed.',
            file.label,
            Math.round(this.bounds.fileBytes / MiB),
          ),
        );
        files.remove(file.name);
        return { stored: undefined, damaged: false };
      }
      text = files.read(file.name);
    } catch (error) {
      log.warn(t('The chat history of {0} could not be read and is left out: {1}', file.label, errorMessage(error)));
      return { stored: undefined, damaged: false };
    }
    if (text === undefined) return { stored: undefined, damaged: false };
    file.bytes = Buffer.byteLength(text);
    file.rewriteAt = Math.max(2 * file.bytes, file.bytes + this.bounds.growthBytes);
    const { stored, skipped } = replay(text);
    if (skipped > 0)
      log.warn(t('The chat history of {0} had {1} damaged lines; they were skipped.', file.label, skipped));
    return { stored, damaged: skipped > 0 };
  }

  /** The history files there are; undefined (and said in the log) when the folder cannot be listed. */
  private list(): HistoryFileInfo[] | undefined {
    try {
      return this.services.files.list().filter((file) => FILE_PATTERN.test(file.name));
    } catch (error) {
      this.services.log.warn(this.services.t('The chat histories could not be listed: {0}', errorMessage(error)));
      return undefined;
    }
  }

  private prune(listed: HistoryFileInfo[], keep: string): void {
    pruneHistories(this.services, this.bounds, listed, keep);
  }
}

/** What the history of `name` on `server` holds, read as a reload would read it; undefined when there is none. */
export function readHistory(files: HistoryFiles, server: ServerAddress, name: string): StoredChat | undefined {
  const text = files.read(historyFileName(historyKey(server, name)));
  return text === undefined ? undefined : replay(text).stored;
}
