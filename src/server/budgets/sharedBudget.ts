/**
 * One relay-wide budget that a store of every room draws from (the message ids it remembers, the
 * bytes it keeps for resumes, its registrations of departed clients), so that the relay's total
 * stays at its own figure however many classes it has. Past the bound, a room that would pass its
 * fair share (the bound over the rooms using it) makes room for its newcomer from its own oldest;
 * a room below it, from the room holding the most, which is above its share. So a class that
 * floods pushes out its own, never another class's below a fair share (give or take the one
 * entry, such as a message, that crosses it).
 */

/** A room's store drawing on the budget: it frees `amount` of its own oldest when asked. */
export interface BudgetUser {
  /** Frees about `amount` (at least one unit if it holds any); returns how much it freed. */
  release(amount: number): number;
}

export class SharedBudget {
  private readonly users = new Map<BudgetUser, number>();
  private total = 0;

  /** `atOnce`: past the bound, about this much more is freed, so the search for it is paid once per many. */
  constructor(
    readonly bound: number,
    private readonly atOnce = 0,
  ) {}

  get used(): number {
    return this.total;
  }

  /** The bound over the users holding anything now (all of it for the first). */
  get fairShare(): number {
    return Math.floor(this.bound / Math.max(1, this.users.size));
  }

  usedBy(user: BudgetUser): number {
    return this.users.get(user) ?? 0;
  }

  /**
   * `user` is about to hold `amount` more: room is made first (from its own oldest past its fair
   * share, else from the user holding the most), then it is counted. What cannot be freed (a
   * store frees nothing, such as departed registrations all in their hold) is counted anyway.
   */
  take(user: BudgetUser, amount: number): void {
    let ownFirst = true;
    for (let guard = 0; this.total + amount > this.bound && guard < 1024; guard++) {
      const fair = Math.floor(this.bound / Math.max(1, this.users.size + (this.users.has(user) ? 0 : 1)));
      const excess = this.total + amount - this.bound;
      // A room that would pass its fair share pays for its own newcomer; else the room holding the most.
      const own = ownFirst && this.usedBy(user) > 0 && this.usedBy(user) + amount > fair;
      const payer = own ? user : this.biggest(user, amount);
      if (!payer) break;
      const held = this.usedBy(payer) + (payer === user ? amount : 0);
      const freed = payer.release(Math.max(1, Math.min(excess + this.atOnce, own ? held : held - fair)));
      if (freed > 0) continue;
      if (!own) break;
      ownFirst = false;
    }
    this.users.set(user, this.usedBy(user) + amount);
    this.total += amount;
  }

  /** `user` gave up `amount`. */
  give(user: BudgetUser, amount: number): void {
    if (amount <= 0) return;
    const left = this.usedBy(user) - amount;
    if (left > 0) this.users.set(user, left);
    else this.users.delete(user);
    this.total -= amount;
  }

  /** `user` (a room that goes) gives up all it holds. */
  leave(user: BudgetUser): void {
    this.total -= this.usedBy(user);
    this.users.delete(user);
  }

  /** The user holding the most (with `extra` counted for `newcomer`) that holds anything to free. */
  private biggest(newcomer: BudgetUser, extra: number): BudgetUser | undefined {
    let biggest: BudgetUser | undefined;
    let most = 0;
    for (const [user, held] of this.users) {
      const counted = held + (user === newcomer ? extra : 0);
      if (held > 0 && counted > most) {
        most = counted;
        biggest = user;
      }
    }
    return biggest;
  }
}

/** The relay-wide budgets every room draws from: one object, made once per relay and handed to each room. */
export interface RelayShares {
  /** Delivered message ids remembered by all rooms together. */
  ids: SharedBudget;
  /** Bytes of messages kept for resumes by all rooms together. */
  resumeBytes: SharedBudget;
  /** Registrations kept for clients that left, by all rooms together. */
  departed: SharedBudget;
}

/** Past a relay-wide bound, this share of it is freed at once (as a room does past its own). */
const FREED_AT_ONCE = 1 / 16;

export function relayShares(bounds: { ids: number; resumeBytes: number; departed: number }): RelayShares {
  const budget = (bound: number) => new SharedBudget(bound, Math.floor(bound * FREED_AT_ONCE));
  // Departed registrations go one at a time: those past their hold only, oldest first.
  return {
    ids: budget(bounds.ids),
    resumeBytes: budget(bounds.resumeBytes),
    departed: new SharedBudget(bounds.departed),
  };
}
