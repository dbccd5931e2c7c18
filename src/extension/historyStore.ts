/** Chat history per server and name in the extension's global storage, saved shortly after each change. */
import type * as vscode from 'vscode';
import type { ServerAddress } from '../protocol/address';
import { nameKey } from '../protocol/names';
import type { StoredChat } from './core/chatModel';

const SAVE_DELAY_MS = 500;

export function historyKey(server: ServerAddress, name: string): string {
  return `relay.history/${server.host}:${server.port}/${nameKey(name)}`;
}

export class HistoryStore {
  private timer: NodeJS.Timeout | undefined;
  private pending: { key: string; data: () => StoredChat } | undefined;

  constructor(private readonly memento: vscode.Memento) {}

  load(key: string): unknown {
    return this.memento.get(key);
  }

  /** Saves soon; a burst of messages is written once. */
  schedule(key: string, data: () => StoredChat): void {
    if (this.pending && this.pending.key !== key) this.flush();
    this.pending = { key, data };
    this.timer ??= setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) void this.memento.update(pending.key, pending.data());
  }

  dispose(): void {
    this.flush();
  }
}
