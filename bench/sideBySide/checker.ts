/**
 * Checks every delivered message against what was sent: each message arrives once, whole, at its
 * recipient, from its sender, and in the order sent on its sender→recipient pair. What does not
 * is counted by kind, so a run can fail on any fault (our relay, ngircd, the floor) or report the
 * faults as counts (the course relay, whose coalesced reads merge and misroute messages).
 */
import { decodeBody, type Body } from './body';

export interface CheckCounts {
  /** Messages sent (a broadcast counts once per recipient). */
  sent: number;
  /** Messages that arrived whole, at their recipient, in order, the first time. */
  delivered: number;
  /** Messages sent that never arrived whole at their recipient. */
  lost: number;
  /** Received texts that are no whole body, or name another sender or recipient than the body says. */
  corrupted: number;
  /** Whole messages that arrived a second time. */
  duplicated: number;
  /** Whole messages that arrived after a later one of the same pair. */
  reordered: number;
}

interface Pair {
  sent: number;
  /** The next sequence number the recipient should see. */
  expected: number;
  /** Numbers skipped over: lost unless they turn up late. */
  missing?: Set<number>;
}

export type Receipt = { ok: true; body: Body } | { ok: false; fault: 'corrupted' | 'duplicated' | 'reordered' };

export class DeliveryChecker {
  private readonly pairs = new Map<number, Pair>();
  private readonly broadcasts = new Map<number, number>();
  private counts = { sent: 0, delivered: 0, corrupted: 0, duplicated: 0, reordered: 0 };

  /** `clients`: how many client indices there are (senders and recipients, 0..clients-1). */
  constructor(private readonly clients: number) {}

  /** Records a message about to be sent from `from` to `to`, and returns its number on that pair. */
  send(from: number, to: number): number {
    const pair = this.pair(from, to);
    this.counts.sent++;
    return pair.sent++;
  }

  /** Records a broadcast from `from` to each of `recipients`, and returns its number among `from`'s broadcasts. */
  sendBroadcast(from: number, recipients: Iterable<number>): number {
    const seq = this.broadcasts.get(from) ?? 0;
    this.broadcasts.set(from, seq + 1);
    for (const to of recipients) {
      const pair = this.pair(from, to);
      if (pair.sent !== seq) throw new Error(`broadcast ${seq} of ${from} out of step for ${to}`);
      pair.sent++;
      this.counts.sent++;
    }
    return seq;
  }

  /**
   * Checks a text that reached `recipient`. `claimedSender` is the sender the server named (its
   * index), or undefined when the protocol names none apart from the body.
   */
  receive(recipient: number, claimedSender: number | undefined, text: string): Receipt {
    const body = decodeBody(text);
    const addressed = body && (body.to === recipient || body.to === -1);
    const pair = body && this.pairs.get(this.key(body.from, recipient));
    if (!body || !addressed || !pair || body.seq >= pair.sent || (claimedSender ?? body.from) !== body.from) {
      this.counts.corrupted++;
      return { ok: false, fault: 'corrupted' };
    }
    if (body.seq < pair.expected) {
      if (pair.missing?.delete(body.seq)) {
        this.counts.reordered++;
        return { ok: false, fault: 'reordered' };
      }
      this.counts.duplicated++;
      return { ok: false, fault: 'duplicated' };
    }
    if (body.seq > pair.expected) {
      pair.missing ??= new Set();
      for (let skipped = pair.expected; skipped < body.seq; skipped++) pair.missing.add(skipped);
    }
    pair.expected = body.seq + 1;
    this.counts.delivered++;
    return { ok: true, body };
  }

  /** Counts received bytes that could not even be told apart into messages. */
  garbled(): void {
    this.counts.corrupted++;
  }

  result(): CheckCounts {
    let lost = 0;
    for (const pair of this.pairs.values()) lost += (pair.missing?.size ?? 0) + (pair.sent - pair.expected);
    return { ...this.counts, lost };
  }

  private pair(from: number, to: number): Pair {
    const key = this.key(from, to);
    let pair = this.pairs.get(key);
    if (!pair) this.pairs.set(key, (pair = { sent: 0, expected: 0 }));
    return pair;
  }

  private key(from: number, to: number): number {
    return from * this.clients + to;
  }
}

/** Whether the counts show any fault at all. */
export function faultless(counts: CheckCounts): boolean {
  return counts.lost + counts.corrupted + counts.duplicated + counts.reordered === 0;
}
