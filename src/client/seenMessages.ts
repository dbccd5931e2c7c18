/**
 * Message ids this client has been handed, per sender, to drop a second copy: a relay restarted
 * after a crash forgot which ids it delivered, and a sender resends what it had no ack for.
 */
import { nameKey } from '../protocol/nameSkeleton';

/** Ids remembered; the oldest are forgotten first. */
const REMEMBERED = 2000;

export class SeenMessages {
  private readonly seen = new Set<string>();

  /** True for a message id from this sender that arrived before; remembers it otherwise. */
  seenBefore(from: string, id: string | undefined): boolean {
    if (id === undefined) return false;
    const key = `${nameKey(from)}\n${id}`;
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.values().next().value!);
    return false;
  }
}
