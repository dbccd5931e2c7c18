/**
 * What one window remembers of its connection across a reload or a restart of VS Code: the
 * server, the name, and whether it was connected. It lives in the window's own storage (VS
 * Code's workspaceState), never in the storage all windows share: each window reconnects as
 * what it was, and two windows never take one name from each other on startup. A window that
 * was disconnected on purpose, or whose name another window took over, stays disconnected.
 * With it goes a name registered while disconnected, which the next connect uses.
 */
import { randomUUID } from 'node:crypto';
import { errorDetail } from '../../protocol/errorText';
import { formatServerAddress, parseServerAddress } from '../../protocol/address';
import { checkName } from '../../protocol/names';
import type { Log, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { Translate } from '../translate';
import { lastUsedTarget, type Target } from './connectTarget';

export const WINDOW_SESSION = 'relay.windowSession';
/** A window's own id, made once and kept in its own storage, so that it knows the tokens it kept itself. */
export const WINDOW_ID = 'relay.windowId';

interface Stored {
  server: string;
  name: string;
  /** Connected (or reconnecting) when the window last said; false after a disconnect on purpose. */
  connected: boolean;
}

export interface Remembered {
  target: Target;
  connected: boolean;
}

/** What `storage` (a window's own) remembers; undefined when nothing usable is kept. */
export function rememberedSession(storage: Storage): Remembered | undefined {
  const stored = storage.get<Partial<Stored>>(WINDOW_SESSION);
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { server, name, connected } = stored;
  if (typeof server !== 'string' || typeof name !== 'string' || typeof connected !== 'boolean') return undefined;
  const address = parseServerAddress(server);
  const checked = checkName(name);
  if (!address.ok || !checked.ok) return undefined;
  return { target: { server: address.address, name: checked.name }, connected };
}

/** Whether the window was connected when it last said: then it reconnects on activation. */
export function wasConnected(storage: Storage): boolean {
  return rememberedSession(storage)?.connected === true;
}

export interface WindowSessionServices {
  t: Translate;
  /** The window's own storage. */
  windowStorage: Storage;
  /** The storage all windows share (the last server and name used). */
  storage: Storage;
  settings(): RelaySettings;
  log: Log;
}

export class WindowSession {
  /** A name registered while disconnected: the next connect uses it without asking. */
  registered: string | undefined;

  /** This window's id, the same after a reload. */
  readonly id: string;

  constructor(private readonly services: WindowSessionServices) {
    const kept = services.windowStorage.get<unknown>(WINDOW_ID);
    this.id = typeof kept === 'string' && kept !== '' ? kept : randomUUID();
    if (kept !== this.id)
      Promise.resolve(services.windowStorage.update(WINDOW_ID, this.id)).catch((error: unknown) =>
        services.log.warn(errorDetail(error)),
      );
  }

  /** What the window is to do after a reload: connect to `target`, or stay disconnected. */
  keep(target: Target, connected: boolean): void {
    const stored: Stored = { server: formatServerAddress(target.server), name: target.name, connected };
    Promise.resolve(this.services.windowStorage.update(WINDOW_SESSION, stored)).catch((error: unknown) =>
      this.services.log.warn(errorDetail(error)),
    );
  }

  /** `name`, registered while disconnected, is the one the next connect and a reload's reconnect use. */
  register(name: string): void {
    this.registered = name;
    const remembered = rememberedSession(this.services.windowStorage);
    if (remembered) this.keep({ ...remembered.target, name }, remembered.connected);
  }

  /**
   * Where to connect on startup: the window's target if it was connected, 'stay' if disconnected on purpose, or if
   * another window connected under its name since (`holder`: the window that kept the name's resume token last);
   * taking the name back would disconnect that one.
   */
  startup(holder: (target: Target) => string | undefined): Target | 'stay' | undefined {
    const remembered = rememberedSession(this.services.windowStorage);
    if (!remembered) return undefined;
    if (!remembered.connected) return 'stay';
    const target = this.named(remembered.target);
    const kept = holder(target);
    if (kept === undefined || kept === this.id) return target;
    this.keep(target, false);
    this.services.log.info(
      this.services.t('Another window connected as {0} since; this window stays disconnected.', target.name),
    );
    return 'stay';
  }

  /**
   * The server and name whose chat to show before any connect: `chosen` (in use), else this
   * window's, else the ones the settings name, else the last used.
   */
  lastTarget(chosen: Target | undefined): Target | undefined {
    const known =
      chosen ??
      rememberedSession(this.services.windowStorage)?.target ??
      lastUsedTarget(this.services.storage, this.services.settings());
    return known && this.named(known);
  }

  /** `target` under the name registered since, if any. */
  private named(target: Target): Target {
    return this.registered ? { ...target, name: this.registered } : target;
  }
}
