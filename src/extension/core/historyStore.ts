/** Chat history per server and name in the extension's storage, saved shortly after each change. */
import type { ServerAddress } from '../../protocol/address';
import { nameKey } from '../../protocol/names';
import type { StoredChat } from './chatModel';
import type { Clock, Disposable, Storage } from './services';

export const SAVE_DELAY_MS = 500;

export function historyKey(server: ServerAddress, name: string): string {
  return `relay.history/${server.host}:${server.port}/${nameKey(name)}`;
}

export class HistoryStore implements Disposable {
  private timer: Disposable | undefined;
  private pending: { key: string; data: () => StoredChat } | undefined;

  constructor(private readonly storage: Storage, private readonly clock: Clock) {}

  load(key: string): unknown {
    return this.storage.get(key);
  }

  /** Saves soon; a burst of messages is written once. */
  schedule(key: string, data: () => StoredChat): void {
    if (this.pending && this.pending.key !== key) this.flush();
    this.pending = { key, data };
    this.timer ??= this.clock.after(SAVE_DELAY_MS, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) void this.storage.update(pending.key, pending.data());
  }

  dispose(): void {
    this.flush();
  }
}
