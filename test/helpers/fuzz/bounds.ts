/**
 * The bounds of the second round's invariants, in one place: how fast a classmate's messages
 * must arrive while the relay is under attack, how soon a newcomer must be registered, how soon
 * a teacher's roster must show a raised hand, how fast the relay's log may grow and how much it
 * may answer one flooding address. Also the switch that leaves the second round out
 * (FUZZ_ROUND_TWO=0).
 */

export const ROUND_TWO_BOUNDS = {
  /**
   * A classmate's messages (sender to recipient, framed and course, on an address of their own).
   * An idle relay delivers in a few milliseconds, a course recipient adds its write gap of 50 ms;
   * under the first round's attacks (which the relay already bounds) the well-behaved clients'
   * median is about 150 ms and their slowest about 1 s, with the attackers, the relay and the
   * clients sharing two cores. A chat that lags a second is noticed; the second round's attacks
   * must not make it worse than the first round's: half within 300 ms, 99 of 100 within 1 s, none
   * over 2 s. A relay that answers every refused frame at full speed makes it seconds.
   */
  classmateMedianMs: 300,
  classmateP99Ms: 1000,
  classmateMaxMs: 2000,
  /** A classmate sends one message every 450–650 ms: below the default rate of 120 a minute. */
  classmateGapMs: [450, 650] as [number, number],
  /**
   * A fresh client (framed on the plain port, course on the plain port, framed over TLS, in
   * turn, from an address of its own) tries to register this often during the attack ...
   */
  newcomerEveryMs: 2500,
  /**
   * ... and must be registered within this: a welcome (framed) or an answer to its first
   * message (course). A TLS handshake and a hello take milliseconds; 2 s leaves room for a
   * relay busy with floods, not for a relay whose every slot is taken.
   */
  newcomerRegisterMs: 2000,
  /** How long a newcomer's attempt is watched for the report, past the bound. */
  newcomerGiveUpMs: 10_000,
  /**
   * A classmate raises her hand this far into the attack (after the hand flood has begun), keeps
   * it up for `handUpMs`, lowers it and raises it again, until the attack ends. Every roster the
   * teacher gets while it is up must list it: the roster shows every raised hand, or how many it
   * left out, and one address cannot push out another's hand.
   */
  handRaisedAtShare: 0.3,
  handUpMs: 10_000,
  /**
   * Lines the relay's log may grow by, a second on average over the run. A teacher reads the log
   * at a terminal; under the first round's attacks, whose log lines have a budget per connection,
   * the relay writes about 270 a second. One address registering and dropping names as fast as it
   * can must not make it ten times as many: join and leave lines need a budget too.
   */
  logLinesPerSecond: 1000,
  /**
   * Frames or lines a second the relay may answer to one address's four flooding connections
   * (refused messages, hands, who, pings), on average over the attack. What the address is allowed
   * is a few messages a second per name (120 a minute, bursts of 60), a `who` now and then and a
   * ping every 15 s; 1,000 answers a second is a hundred times that. A relay that reads and answers
   * whatever comes answers some 60,000 to 150,000 a second, and spends its time on it.
   */
  answeredPerAddressPerSecond: 1000,
  /** The attacks whose answers are bounded so: each comes from one address. */
  answeredKinds: ['refused-flood', 'ping-flood'] as readonly string[],
  /** Every roster the teacher gets from this long after the hand went up (a roster period, 1 s, and some) lists it. */
  handListedWithinMs: 1500,
} as const;

/** The second round's attackers and invariants run unless FUZZ_ROUND_TWO=0. */
export function roundTwoEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FUZZ_ROUND_TWO !== '0';
}
