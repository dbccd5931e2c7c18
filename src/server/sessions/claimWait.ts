/**
 * A registration waiting for its name's claim across relay nodes: what the client sends meanwhile
 * is held (bounded) and handled, in order, once the name is its own or refused.
 */
import type { JoinResult } from '../routing/hub';

export interface Waiter<T> {
  isClosed(): boolean;
  /** The claim came through but the connection ended meanwhile: the name is given up (or, resumed, held). */
  leave(result: Extract<JoinResult, { ok: true }>): void;
  joined(result: JoinResult): void;
  next(item: T): void;
  failed(error: unknown): void;
}

/** Frames or lines a client may send while its name is claimed: a client waits for its welcome. */
export const HELD_BEFORE_WELCOME = 64;

export class ClaimWait<T> {
  private items: T[] | undefined;

  constructor(private readonly limit = HELD_BEFORE_WELCOME) {}

  get waiting(): boolean {
    return this.items !== undefined;
  }

  /** Holds what came while waiting; false once more than `limit` came. */
  hold(item: T): boolean {
    if (!this.items || this.items.length >= this.limit) return false;
    this.items.push(item);
    return true;
  }

  wait(joined: Promise<JoinResult>, waiter: Waiter<T>): void {
    this.items = [];
    joined
      .then((result) => {
        const held = this.items ?? [];
        this.items = undefined;
        if (waiter.isClosed()) {
          if (result.ok) waiter.leave(result);
          return;
        }
        waiter.joined(result);
        for (const item of held) if (!waiter.isClosed()) waiter.next(item);
      })
      .catch((error: unknown) => {
        this.items = undefined;
        waiter.failed(error);
      });
  }
}
