/**
 * Items in the order they came, any of which may leave at any time: an array read from a moving
 * start, where an item that left is only marked (`live` false) and skipped, and the array is
 * rebuilt once the marked ones are most of it. Oldest-first queues of the id memory use it, so
 * that remembering an id costs two pushes, not a hash set's insertion and deletion, and finding
 * the oldest makes no iterator.
 */

export interface QueueItem {
  live: boolean;
}

/** Below this many slots, marked items are left where they are. */
const REBUILD_FROM = 32;

export class LiveQueue<T extends QueueItem> {
  private items: T[] = [];
  private head = 0;
  /** Items in the array that are live. */
  private liveCount = 0;

  get size(): number {
    return this.liveCount;
  }

  /** Slots of the array in use, live or marked: never much more than twice the live ones. */
  get slots(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.liveCount++;
    const slots = this.items.length - this.head;
    if (slots >= REBUILD_FROM && slots > 2 * this.liveCount) this.rebuild();
  }

  /** The oldest live item. */
  first(): T | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      if (item.live) return item;
      this.head++;
    }
    return undefined;
  }

  /** `item`, one of this queue's, left it: it is skipped from now on (the caller marks it). */
  left(): void {
    this.liveCount--;
  }

  /** Calls `visit` for each live item, oldest first, until it returns false; items may leave meanwhile. */
  forEachLive(visit: (item: T) => boolean): void {
    const end = this.items.length;
    for (let index = this.head; index < end; index++) {
      const item = this.items[index]!;
      if (item.live && !visit(item)) return;
    }
  }

  private rebuild(): void {
    this.items = this.items.slice(this.head).filter((item) => item.live);
    this.head = 0;
  }
}
