/**
 * How often the relay checks a teacher key: an address that presented too many wrong keys gets
 * none checked until its lockout ends, and so does every address once too many wrong keys came
 * from all of them together, so guessing is bounded per address and in all. A lockout is kept
 * until it ends, whatever other addresses do. A teacher's client resuming its registration is
 * let in with the right key all the same (its resume token vouches for it).
 */
import { RELAY_DEFAULTS as D } from '../policy/defaults';
import { WindowCounter } from '../budgets/windowCounter';

export interface KeyGuessingLimits {
  /** Wrong keys one address may present within `windowMs`; the last of them locks it out. */
  perAddress: number;
  /** Wrong keys all addresses together may present within `windowMs`; the last of them locks out all. */
  inAll: number;
  windowMs: number;
  lockoutMs: number;
  /** Addresses whose wrong keys are counted at once, short of a lockout (the oldest are forgotten). */
  addresses: number;
}

export const KEY_GUESSING_DEFAULTS: KeyGuessingLimits = {
  perAddress: D.keyFailures.value,
  inAll: D.keyFailuresInAll.value,
  windowMs: D.keyFailureWindowMs.value,
  lockoutMs: D.keyLockoutMs.value,
  addresses: D.keyFailureAddresses.value,
};

/** Why a key was not checked: this address presented too many wrong ones, or all together did. */
export type KeyLockout = { scope: 'address' | 'relay'; failures: number; windowMs: number; untilMs: number };

export type KeyVerdict = { type: 'teacher' } | { type: 'wrong' } | ({ type: 'locked' } & KeyLockout);

export class KeyGuessing {
  private readonly counting = new Map<string, WindowCounter>();
  /** Locked-out addresses and when each lockout ends; never forgotten before that. */
  private readonly locked = new Map<string, number>();
  private inAll: WindowCounter;
  private allLockedUntil = 0;

  constructor(
    private readonly limits: KeyGuessingLimits = KEY_GUESSING_DEFAULTS,
    private readonly clock: () => number = Date.now,
  ) {
    this.inAll = this.counter(limits.inAll);
  }

  /**
   * Checks `key` with `isRight` unless the address or the relay is locked out; `vouched`: the
   * client resumes a registration that presented the right key, and is let in with it even then.
   */
  attempt(address: string, isRight: () => boolean, vouched: boolean): KeyVerdict {
    const now = this.clock();
    if (vouched && isRight()) return { type: 'teacher' };
    const lockout = this.lockoutOf(address, now);
    if (lockout) return { type: 'locked', ...lockout };
    if (!vouched && isRight()) return { type: 'teacher' };
    this.failed(address, now);
    return { type: 'wrong' };
  }

  /** The lockout `address` is under now, if any. */
  lockoutOf(address: string, now = this.clock()): KeyLockout | undefined {
    const { perAddress, inAll, windowMs } = this.limits;
    const until = this.locked.get(address);
    if (until !== undefined && until > now) return { scope: 'address', failures: perAddress, windowMs, untilMs: until };
    if (until !== undefined) this.locked.delete(address);
    if (this.allLockedUntil > now) return { scope: 'relay', failures: inAll, windowMs, untilMs: this.allLockedUntil };
    return undefined;
  }

  private failed(address: string, now: number): void {
    const { addresses, lockoutMs } = this.limits;
    if (this.inAll.hit()) {
      this.allLockedUntil = now + lockoutMs;
      this.inAll = this.counter(this.limits.inAll);
    }
    const counter = this.counting.get(address) ?? this.counter(this.limits.perAddress);
    this.counting.delete(address);
    if (counter.hit()) {
      this.locked.set(address, now + lockoutMs);
      this.forgetEnded(now);
      return;
    }
    if (this.counting.size >= addresses) this.counting.delete(this.counting.keys().next().value!);
    this.counting.set(address, counter);
  }

  /** A counter that says "over" at the `limit`-th event in the window: that wrong key locks out. */
  private counter(limit: number): WindowCounter {
    return new WindowCounter(limit - 1, this.limits.windowMs, this.clock);
  }

  private forgetEnded(now: number): void {
    for (const [address, until] of this.locked) if (until <= now) this.locked.delete(address);
  }
}

/** What a locked-out client is told: what happened, for how long, and that its key was not checked. */
export function lockoutText(lockout: KeyLockout, address: string, now: number): string {
  const seconds = Math.max(1, Math.ceil((lockout.untilMs - now) / 1000));
  const window = `${lockout.failures} within ${Math.round(lockout.windowMs / 1000)} s`;
  const from = lockout.scope === 'address' ? `from your address ${address}` : 'from many addresses';
  return (
    `too many wrong teacher keys came ${from} (${window}), so the relay checks no teacher key ` +
    `${lockout.scope === 'address' ? 'from it' : 'at all'} for ${seconds} s; your key was not checked. ` +
    'A teacher whose connection dropped gets back in by resuming; without a key you connect as a student'
  );
}
