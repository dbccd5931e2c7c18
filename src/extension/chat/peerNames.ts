/**
 * Which conversation a peer's name belongs to, and each peer's name as written. Conversations
 * are told apart as the server tells names apart: our relay by skeleton ("Alice", "alice" and
 * "AIice" are one person there), a course server exactly ("Bob" and "bob" are two). Each
 * peer's name is kept as written, and replies go to it.
 */
import type { Dialect } from '../../client/types';
import { heldKey, nameKey } from '../../protocol/nameSkeleton';
import { EVERYONE, type ChatItem } from '../../protocol/panel';

/** How a server tells names apart: by skeleton (our relay) or exactly (a course server). */
export type Keying = 'fold' | 'exact';

export function keyingOf(dialect: Dialect | undefined): Keying {
  return dialect === 'course' || dialect === 'course-lan' ? 'exact' : 'fold';
}

/**
 * A peer's conversation, never the one of everyone's hints: a course server lets anyone call
 * itself "*", and their messages are theirs, not broadcasts. No name has a line break, so this
 * id is nobody's name.
 */
const PEER_NAMED_EVERYONE = `\n${EVERYONE}`;

export function apartFromEveryone(conversation: string): string {
  return conversation === EVERYONE ? PEER_NAMED_EVERYONE : conversation;
}

/** The conversation a name starts as on our relay, before anything is known of the server or who is there. */
export function firstConversationOf(name: string): string {
  return apartFromEveryone(nameKey(name.trim()));
}

/** The key under which our relay holds a name; never empty, so that every name has one. */
export function skeletonOf(name: string): string {
  return heldKey(name) || nameKey(name);
}

export class PeerNames {
  keying: Keying = 'fold';
  /** Each peer's name as written, by conversation. */
  private labels = new Map<string, string>();
  /** Skeleton of a label → its conversation, where names fold. */
  private bySkeleton = new Map<string, string>();

  constructor(private readonly everyoneLabel: string) {}

  /** The conversation of a peer named `name`, as this server tells names apart. */
  conversationOf(name: string): string {
    const written = name.trim();
    if (this.keying === 'exact') return apartFromEveryone(written);
    return this.bySkeleton.get(skeletonOf(written)) ?? firstConversationOf(written);
  }

  /** The conversation a look-alike of `name` is kept under, if any. */
  lookAlikeOf(name: string): string | undefined {
    return this.bySkeleton.get(skeletonOf(name));
  }

  labelOf(conversation: string): string {
    return conversation === EVERYONE ? this.everyoneLabel : (this.labels.get(conversation) ?? conversation);
  }

  /** The name as written, if one is kept (never for everyone's). */
  written(conversation: string): string | undefined {
    return this.labels.get(conversation);
  }

  /**
   * A peer's name as written: the server's word for it wins (`authoritative`); ours only names
   * someone new. True when the name kept changed.
   */
  set(conversation: string, name: string, authoritative: boolean): boolean {
    if (conversation === EVERYONE || name === '') return false;
    const current = this.labels.get(conversation);
    if (current === name || (current !== undefined && !authoritative && this.keying === 'fold')) return false;
    if (current !== undefined && this.bySkeleton.get(skeletonOf(current)) === conversation)
      this.bySkeleton.delete(skeletonOf(current));
    this.labels.set(conversation, name);
    this.bySkeleton.set(skeletonOf(name), conversation);
    return true;
  }

  forget(conversation: string): void {
    const label = this.labels.get(conversation);
    if (label !== undefined && this.bySkeleton.get(skeletonOf(label)) === conversation)
      this.bySkeleton.delete(skeletonOf(label));
    this.labels.delete(conversation);
  }

  /** Takes these names as written instead of all kept so far; of look-alikes, the first names the conversation. */
  replace(labels: Map<string, string>): void {
    this.labels = labels;
    this.bySkeleton = new Map();
    for (const [conversation, label] of labels)
      if (!this.bySkeleton.has(skeletonOf(label))) this.bySkeleton.set(skeletonOf(label), conversation);
  }

  /**
   * Files each of `names` (old conversation → name as written) under the conversation the
   * server's way (this.keying, set before) gives it: conversations merge or split by their
   * names. Answers where each old conversation went.
   */
  rekey(names: Map<string, string>): Map<string, string> {
    this.labels = new Map();
    this.bySkeleton = new Map();
    const moved = new Map<string, string>();
    for (const [old, name] of names) {
      const key = this.conversationOf(name);
      moved.set(old, key);
      this.labels.set(key, name);
      if (!this.bySkeleton.has(skeletonOf(name))) this.bySkeleton.set(skeletonOf(name), key);
    }
    this.replace(this.labels);
    return moved;
  }
}

/**
 * Each stored conversation's name as written: the one kept with it, else the newest sender's.
 * Histories of older versions kept only a folded id ("frau keller") for a conversation of our
 * own messages, and named it so: the best case known wins over that, the name as a message or
 * a hint of that peer wrote it.
 */
export function restoredNames(
  items: readonly ChatItem[],
  given: Map<string, unknown>,
  keying: Keying,
): Map<string, string> {
  const seen = new Map<string, string>();
  for (const item of items)
    if (item.direction === 'in' && !item.notice && item.from.trim() !== '') seen.set(skeletonOf(item.from), item.from);
  const labels = new Map<string, string>();
  for (const item of items) {
    if (item.conversation === EVERYONE || item.notice) continue;
    const label = given.get(item.conversation);
    if (typeof label === 'string' && label.trim() !== '') labels.set(item.conversation, label);
    else if (item.direction === 'in') labels.set(item.conversation, item.from);
    else if (!labels.has(item.conversation)) labels.set(item.conversation, item.conversation);
  }
  // A server that tells names apart exactly has "bob" and "Bob" as two people.
  if (keying === 'exact') return labels;
  for (const [conversation, label] of labels) {
    const written = seen.get(skeletonOf(label));
    // Only a name in lower case may be a folded one; a name written so on purpose has no capital seen either.
    if (written !== undefined && label === label.toLowerCase() && written !== label) labels.set(conversation, written);
  }
  return labels;
}
