/**
 * How many messages of each conversation the person has not seen: what arrives while they look
 * elsewhere counts, what they look at does not, and a count never exceeds the items its
 * conversation still holds.
 */
export class UnreadCounts {
  private readonly counts = new Map<string, number>();
  /** The conversation the person is looking at (a visible chat on it), if any. */
  private viewing: string | undefined;

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  of(conversation: string): number {
    return this.counts.get(conversation) ?? 0;
  }

  /** The person looks at `conversation` (or at none); true when that read what was unread there. */
  view(conversation: string | undefined): boolean {
    this.viewing = conversation;
    return conversation !== undefined && this.counts.delete(conversation);
  }

  /** Every conversation counts as read; false when none had anything unread. */
  readAll(): boolean {
    if (this.counts.size === 0) return false;
    this.counts.clear();
    return true;
  }

  /** A message arrived in `conversation`; true when it counts as unread (nobody is looking there). */
  arrived(conversation: string): boolean {
    if (this.viewing === conversation) return false;
    this.counts.set(conversation, this.of(conversation) + 1);
    return true;
  }

  /** A stored count, at most `held`, the items its conversation holds. */
  restore(conversation: string, count: number, held: number): void {
    this.counts.set(conversation, Math.min(count, held));
  }

  /** `conversation` holds only `left` items now: its count is at most that. */
  limit(conversation: string, left: number): void {
    const count = this.counts.get(conversation);
    if (count === undefined || count <= left) return;
    if (left === 0) this.counts.delete(conversation);
    else this.counts.set(conversation, left);
  }

  forget(conversation: string): void {
    this.counts.delete(conversation);
  }

  /** Conversations filed anew: each count goes where `target` sends its conversation, merged ones add up. */
  refile(target: (conversation: string) => string): void {
    const counts = [...this.counts];
    this.counts.clear();
    for (const [key, count] of counts) this.counts.set(target(key), (this.counts.get(target(key)) ?? 0) + count);
    if (this.viewing !== undefined) this.viewing = target(this.viewing);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
