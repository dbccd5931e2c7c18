/**
 * Chat history in files, one per server and name, in the extension's storage folder.
 *
 * A file is JSON lines: each change to the chat (a message, how it fared, a name as written,
 * something read) is appended as one line, a burst of them in one write. When the file has
 * grown to twice what it held after its last rewrite, it is rewritten from the chat as it is
 * (the chat keeps itself within relay.historySize and CHAT_BOUNDS). Histories not used for
 * 90 days are removed, and so are the least recently used ones while all of them together
 * exceed 64 MB (HISTORY_BOUNDS). A line or a file that cannot be read is skipped, with one log
 * line.
 *
 * Histories used to live in VS Code's global state (one value for the whole extension): what
 * is there is moved into files once, and removed from it.
 */
import { createHash } from 'node:crypto';
import type { ServerAddress } from '../../../protocol/address';
import { nameKey } from '../../../protocol/names';
import { isChatItem, type HistoryRecord, type StoredChat } from '../chatModel';
import type { Clock, Disposable, HistoryFiles, Log, Storage } from '../../ports';
import type { Translate } from '../../translate';

const MiB = 1024 * 1024;

/** Changes wait this long, so that a burst of messages is one write. */
export const FLUSH_DELAY_MS = 200;

export interface HistoryBounds {
  /** All histories together; the least recently used go first. */
  totalBytes: number;
  /** Larger than any history written here can grow (twice CHAT_BOUNDS.chatBytes, and a burst): such a file is not read. */
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
const DAY_MS = 24 * 60 * 60 * 1000;

/** Where globalState kept a history before; also what names a history file. */
export function historyKey(server: ServerAddress, name: string): string {
  return `relay.history/${server.host}:${server.port}/${nameKey(name)}`;
}

const LEGACY_PREFIX = 'relay.history/';
const FILE_PATTERN = /^chat-[0-9a-f]{32}\.jsonl$/;

export function historyFileName(key: string): string {
  return `chat-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.jsonl`;
}

export interface HistoryStoreServices {
  files: HistoryFiles;
  /** VS Code's global state, where histories were kept before. */
  storage: Storage;
  clock: Clock;
  log: Log;
  t: Translate;
  bounds?: Partial<HistoryBounds>;
}

type HistoryFileInfo = ReturnType<HistoryFiles['list']>[number];

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
  private migrated = false;
  private readonly bounds: HistoryBounds;

  constructor(private readonly services: HistoryStoreServices) {
    this.bounds = { ...HISTORY_BOUNDS, ...services.bounds };
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
      label: `${name} @ ${server.host}:${server.port}`,
      bytes: 0,
      rewriteAt: this.bounds.growthBytes,
      snapshot,
      failed: false,
    };
    this.current = file;
    this.migrate(key);
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
          this.services.t('The chat history of {0} could not be saved: {1}', file.label, errorText(error)),
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
      log.warn(t('The chat history of {0} could not be read and is left out: {1}', file.label, errorText(error)));
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
      this.services.log.warn(this.services.t('The chat histories could not be listed: {0}', errorText(error)));
      return undefined;
    }
  }

  /** Removes histories not used for a while, then the least recently used while all together are too large; never the open one. */
  private prune(listed: HistoryFileInfo[], keep: string): void {
    const { files, clock, log, t } = this.services;
    const { totalBytes, unusedDays } = this.bounds;
    const cutoff = clock.now().getTime() - unusedDays * DAY_MS;
    const unused = listed.filter((file) => file.name !== keep && file.modified.getTime() < cutoff);
    const kept = listed
      .filter((file) => !unused.includes(file))
      .sort((a, b) => a.modified.getTime() - b.modified.getTime());
    let total = kept.reduce((sum, file) => sum + file.bytes, 0);
    const leastUsed: HistoryFileInfo[] = [];
    for (const file of kept) {
      if (total <= totalBytes) break;
      if (file.name === keep) continue;
      leastUsed.push(file);
      total -= file.bytes;
    }
    const remove = (list: HistoryFileInfo[]) =>
      list.filter((file) => {
        try {
          files.remove(file.name);
          return true;
        } catch {
          return false;
        }
      }).length;
    const old = remove(unused);
    if (old > 0) log.info(t('{0} chat histories not used for {1} days were removed.', old, unusedDays));
    const large = remove(leastUsed);
    if (large > 0)
      log.info(
        t(
          '{0} chat histories used least recently were removed: all together they were larger than {1} MB.',
          large,
          Math.round(totalBytes / MiB),
        ),
      );
  }

  /**
   * Moves histories out of VS Code's global state into files: all of them the first time (when
   * the storage can list its keys), and the one being opened in any case.
   */
  private migrate(key: string): void {
    const { storage, files, log, t } = this.services;
    const keys = new Set<string>([key]);
    if (!this.migrated) {
      this.migrated = true;
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
        log.warn(t('A chat history could not be moved into a file; it stays where it was: {0}', errorText(error)));
        continue;
      }
      void Promise.resolve(storage.update(legacy, undefined)).then(undefined, () => undefined);
    }
    if (dropped > 0)
      log.warn(t("{0} chat histories in VS Code's state could not be read; they were removed.", dropped));
    if (moved > 0) log.info(t("{0} chat histories were moved from VS Code's state into files.", moved));
  }
}

/** What the history of `name` on `server` holds, read as a reload would read it; undefined when there is none. */
export function readHistory(files: HistoryFiles, server: ServerAddress, name: string): StoredChat | undefined {
  const text = files.read(historyFileName(historyKey(server, name)));
  return text === undefined ? undefined : replay(text).stored;
}

/** The whole chat as lines: a header, each name as written, each item, then the unread counts. */
function serialize(key: string, chat: StoredChat): string {
  const lines: string[] = [
    JSON.stringify(chat.dialect ? { t: 'chat', v: 1, key, dialect: chat.dialect } : { t: 'chat', v: 1, key }),
  ];
  for (const [conversation, name] of Object.entries(chat.labels ?? {}))
    lines.push(JSON.stringify({ t: 'label', conversation, name }));
  for (const item of chat.items) lines.push(JSON.stringify({ t: 'item', item }));
  lines.push(JSON.stringify({ t: 'unread', counts: chat.unread }));
  return `${lines.join('\n')}\n`;
}

/** The chat a file's lines add up to, and how many lines could not be used. */
export function replay(text: string): { stored: StoredChat; skipped: number } {
  const items: StoredChat['items'] = [];
  const byId = new Map<string, number>();
  const unread = new Map<string, number>();
  const labels = new Map<string, string>();
  let dialect: StoredChat['dialect'];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!applies(record)) skipped++;
  }
  const stored: StoredChat = {
    version: 1,
    items,
    unread: Object.fromEntries(unread),
    labels: Object.fromEntries(labels),
  };
  if (dialect) stored.dialect = dialect;
  return { stored, skipped };

  function applies(record: Record<string, unknown>): boolean {
    if (typeof record !== 'object' || record === null) return false;
    switch (record.t) {
      case 'chat':
        if (record.dialect === 'relay' || record.dialect === 'course' || record.dialect === 'course-lan')
          dialect = record.dialect;
        return true;
      case 'item': {
        if (!isChatItem(record.item)) return false;
        const item = record.item;
        const index = byId.get(item.id);
        if (index === undefined) {
          byId.set(item.id, items.length);
          items.push(item);
        } else {
          items[index] = item;
        }
        if (record.unread === true) unread.set(item.conversation, (unread.get(item.conversation) ?? 0) + 1);
        return true;
      }
      case 'delivery': {
        const index = typeof record.id === 'string' ? byId.get(record.id) : undefined;
        if (index === undefined || !['pending', 'delivered', 'sent', 'failed'].includes(record.delivery as string))
          return false;
        const item = items[index]!;
        item.delivery = record.delivery as typeof item.delivery;
        if (typeof record.failure === 'string') item.failure = record.failure;
        else delete item.failure;
        return true;
      }
      case 'label':
        if (typeof record.conversation !== 'string' || typeof record.name !== 'string') return false;
        labels.set(record.conversation, record.name);
        return true;
      case 'read':
        if (typeof record.conversation !== 'string') return false;
        unread.delete(record.conversation);
        return true;
      case 'read-all':
        unread.clear();
        return true;
      case 'unread': {
        if (typeof record.counts !== 'object' || record.counts === null) return false;
        unread.clear();
        for (const [conversation, count] of Object.entries(record.counts))
          if (Number.isSafeInteger(count) && count > 0) unread.set(conversation, count);
        return true;
      }
      default:
        return false;
    }
  }
}

function isStoredChat(value: unknown): value is StoredChat {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as StoredChat).version === 1 &&
    Array.isArray((value as StoredChat).items)
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
