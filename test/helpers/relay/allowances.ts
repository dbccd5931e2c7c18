/**
 * Relay options for tests of something other than the relay's allowances: a client that sends
 * many frames on purpose (to fill a buffer, to churn names) is not slowed by the input allowance
 * that tests of floods prove (test/server/floods.test.ts).
 */
export const UNTHROTTLED_INPUT = {
  perSecond: 1_000_000,
  burst: 1_000_000,
  addressPerSecond: 1_000_000,
  addressBurst: 1_000_000,
} as const;
