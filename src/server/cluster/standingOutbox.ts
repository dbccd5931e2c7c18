/**
 * What a node writes of its members' standing to the engine, coalesced per member: a hand raised
 * or lowered and a mute begun or ended go out at once, a change of the counts alone at most once
 * per gap (a student who writes ten messages a second costs the engine one write a second). Pure:
 * the clock is passed in; the caller writes what is due and asks again at `nextDue`.
 */
import type { KeptStanding } from '../classroom/classroom';

interface Written {
  at: number;
  /** The hand and the mute as last written: a change of them is written at once. */
  flags: string;
}

interface Pending {
  standing: KeptStanding;
  due: number;
}

export class StandingOutbox {
  /** Insertion order is age: the least recently written member is forgotten first. */
  private readonly written = new Map<string, Written>();
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly gapMs: number,
    /** Members remembered at most, in each of the two maps. */
    private readonly maxMembers: number,
  ) {}

  /** `key`'s standing changed at `now`: it is written at once, or once its gap since the last write is over. */
  note(key: string, standing: Readonly<KeptStanding>, now: number): void {
    const last = this.written.get(key);
    const waiting = this.pending.get(key);
    const urgent = !last || last.flags !== flagsOf(standing);
    let due = urgent ? now : Math.max(now, last.at + this.gapMs);
    if (waiting) due = Math.min(due, waiting.due);
    // A full outbox grows no further: a newcomer to it is written at once instead of waiting.
    else if (this.pending.size >= this.maxMembers) due = now;
    this.pending.set(key, { standing: copyOf(standing), due });
  }

  /** The writes due by `now`, taken out of the outbox and noted as written at `now`. */
  takeDue(now: number): Array<[string, KeptStanding]> {
    const due: Array<[string, KeptStanding]> = [];
    for (const [key, waiting] of this.pending) if (waiting.due <= now) due.push([key, waiting.standing]);
    for (const [key, standing] of due) {
      this.pending.delete(key);
      this.written.delete(key);
      this.written.set(key, { at: now, flags: flagsOf(standing) });
    }
    for (const key of this.written.keys()) {
      if (this.written.size <= this.maxMembers) break;
      this.written.delete(key);
    }
    return due;
  }

  /** When the next write is due; undefined when nothing waits. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const { due } of this.pending.values()) if (next === undefined || due < next) next = due;
    return next;
  }

  /** `key` left: what waits for it is dropped, and its next standing is written at once. */
  forget(key: string): void {
    this.pending.delete(key);
    this.written.delete(key);
  }

  get size(): { pending: number; written: number } {
    return { pending: this.pending.size, written: this.written.size };
  }
}

function flagsOf(standing: Readonly<KeptStanding>): string {
  return JSON.stringify([standing.hand ?? null, standing.muted ?? null]);
}

function copyOf(standing: Readonly<KeptStanding>): KeptStanding {
  const copy: KeptStanding = { sent: standing.sent, received: standing.received };
  if (standing.hand) copy.hand = { ...standing.hand };
  if (standing.muted) copy.muted = { ...standing.muted };
  return copy;
}
