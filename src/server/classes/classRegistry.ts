/**
 * The classes a relay keeps beside its default class: each with its code, the digest of its own
 * teacher key, who made it (the address, for the per-address bound) and when it was last used.
 * Who may make one is the operator's choice (anyone, or holders of the admin key); how many in
 * all and per address are bounded, and a class unused for `idleMs` ends. Keys are compared by
 * their digests in constant time; the key itself is only handed to the one who made the class.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLASS_CODE_GROUP_LENGTH, CLASS_CODE_GROUPS, formatClassCode } from '../../protocol/classCode';
import { makeTeacherKey, randomChars } from '../classroom/teacherKey';

export interface KeptClass {
  /** As people read it: `4kx-92m`. */
  code: string;
  /** SHA-256 of the class's teacher key, hex. */
  keyDigest: string;
  /** The address (its group, see addressGroup.ts) it was made from. */
  madeBy: string;
  madeAt: number;
  usedAt: number;
}

export interface ClassPolicy {
  /** `open`: anyone may make a class; `key`: only with the admin key; `off`: nobody (the default class only). */
  creation: 'open' | 'key' | 'off';
  adminKey: string | undefined;
  maxClasses: number;
  maxPerAddress: number;
  /** A class unused this long ends. */
  idleMs: number;
}

/** Where a registry tells the other relay nodes of its classes (routing/clusterLink.ts). */
export interface ClassShare {
  /** A class was made here, or its use noted: every node knows it so. */
  made(entry: KeptClass): void;
  /** A class ended here (or aged out). */
  ended(code: string): void;
}

export type Creation =
  | { ok: true; code: string; teacherKey: string }
  | { ok: false; reason: 'not-allowed' | 'full' | 'unavailable'; detail: string };

/**
 * A class's use is noted for the store at most this often: a class ends after days unused, so
 * an hour's lag costs nothing, and a class in use does not rewrite the store every second.
 */
const USE_NOTED_MS = 60 * 60 * 1000;

export class ClassRegistry {
  private readonly classes = new Map<string, KeptClass>();
  private readonly adminDigest: Buffer | undefined;
  /** When each class's use was last noted for the store. */
  private readonly noted = new Map<string, number>();
  /** Set while the classes are kept: whether they changed since the last take, and whom to wake when they do. */
  private changes: { pending: boolean; wake: () => void } | undefined;
  /** Classes restored had ended meanwhile: the store still lists them until the next write. */
  private restoredEnded = false;
  /** The other relay nodes, when this relay is one of several. */
  private share: ClassShare | undefined;

  constructor(
    private readonly policy: ClassPolicy,
    private readonly clock: () => number = Date.now,
    private readonly random: (size: number) => Buffer = randomBytes,
  ) {
    this.adminDigest = policy.adminKey === undefined ? undefined : digest(policy.adminKey);
  }

  /** Classes kept from before a restart; those unused too long have ended meanwhile. */
  restore(kept: readonly KeptClass[]): void {
    for (const entry of kept) {
      this.classes.set(entry.code, { ...entry });
      this.noted.set(entry.code, entry.usedAt);
    }
    this.restoredEnded = this.expire().length > 0;
  }

  /** The other relay nodes hear of every class made, used or ended here from now on, and of those it has now. */
  shareWith(share: ClassShare): void {
    this.share = share;
    for (const entry of this.classes.values()) share.made({ ...entry });
  }

  /** A class another node made or used: known here as it is there. */
  adopt(entry: KeptClass): void {
    const known = this.classes.get(entry.code);
    if (known && known.keyDigest === entry.keyDigest && known.usedAt >= entry.usedAt) return;
    this.classes.set(entry.code, { ...entry, usedAt: Math.max(entry.usedAt, known?.usedAt ?? 0) });
    this.noted.set(entry.code, entry.usedAt);
    this.changed();
  }

  /** A class another node ended; whether it was known here. */
  drop(code: string): boolean {
    this.noted.delete(code);
    if (!this.classes.delete(code)) return false;
    this.changed();
    return true;
  }

  /** From now on, changes are noted for the keeper (state/lessonKeeper.ts), which `wake` calls. */
  keepChanges(wake: () => void): void {
    this.changes = { pending: false, wake };
    if (this.restoredEnded) this.changed();
  }

  /** Every class, when they changed since the last call. */
  takeChanges(): KeptClass[] | undefined {
    if (!this.changes?.pending) return undefined;
    this.changes.pending = false;
    return [...this.classes.values()].map((entry) => ({ ...entry }));
  }

  isAdminKey(key: string | undefined): boolean {
    return key !== undefined && this.adminDigest !== undefined && timingSafeEqual(digest(key), this.adminDigest);
  }

  create(from: string, adminKey: string | undefined): Creation {
    const { creation, maxClasses, maxPerAddress } = this.policy;
    const admin = this.isAdminKey(adminKey);
    if (creation === 'off' || (creation === 'key' && !admin))
      return {
        ok: false,
        reason: 'not-allowed',
        detail: creation === 'off' ? 'this relay makes no classes' : 'making a class needs the admin key',
      };
    this.expire();
    if (this.classes.size >= maxClasses)
      return { ok: false, reason: 'full', detail: `this relay keeps ${maxClasses} classes at most` };
    const fromThere = [...this.classes.values()].filter((entry) => entry.madeBy === from).length;
    if (!admin && fromThere >= maxPerAddress)
      return { ok: false, reason: 'full', detail: `${maxPerAddress} classes at most are made from one address` };
    const code = this.freshCode();
    const teacherKey = makeTeacherKey(this.random);
    const now = this.clock();
    this.classes.set(code, {
      code,
      keyDigest: digest(teacherKey).toString('hex'),
      madeBy: from,
      madeAt: now,
      usedAt: now,
    });
    this.noted.set(code, now);
    this.changed();
    this.share?.made({ ...this.classes.get(code)! });
    return { ok: true, code, teacherKey };
  }

  find(code: string): KeptClass | undefined {
    const entry = this.classes.get(code);
    if (entry && this.clock() - entry.usedAt >= this.policy.idleMs) {
      this.forget(code);
      return undefined;
    }
    return entry;
  }

  /** Someone joined the class: it is in use. */
  used(code: string): void {
    const entry = this.classes.get(code);
    if (!entry) return;
    entry.usedAt = this.clock();
    if (entry.usedAt - (this.noted.get(code) ?? 0) < USE_NOTED_MS) return;
    this.noted.set(code, entry.usedAt);
    this.changed();
    this.share?.made({ ...entry });
  }

  isTeacherKey(code: string, key: string): boolean {
    const entry = this.find(code);
    return entry !== undefined && timingSafeEqual(digest(key), Buffer.from(entry.keyDigest, 'hex'));
  }

  end(code: string): boolean {
    return this.forget(code);
  }

  list(): KeptClass[] {
    this.expire();
    return [...this.classes.values()].sort((a, b) => a.madeAt - b.madeAt).map((entry) => ({ ...entry }));
  }

  /** Ends the classes unused for `idleMs`; their codes. */
  expire(): string[] {
    const now = this.clock();
    const ended = [...this.classes.values()].filter((entry) => now - entry.usedAt >= this.policy.idleMs);
    for (const entry of ended) this.forget(entry.code);
    return ended.map((entry) => entry.code);
  }

  private forget(code: string): boolean {
    if (!this.drop(code)) return false;
    this.share?.ended(code);
    return true;
  }

  private changed(): void {
    const changes = this.changes;
    if (!changes || changes.pending) return;
    changes.pending = true;
    changes.wake();
  }

  private freshCode(): string {
    for (;;) {
      const code = formatClassCode(randomChars(CLASS_CODE_GROUPS * CLASS_CODE_GROUP_LENGTH, this.random));
      if (!this.classes.has(code)) return code;
    }
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
