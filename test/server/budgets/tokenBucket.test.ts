/**
 * The token bucket every allowance of the relay is made of: a burst at once, then its rate, never
 * more than its burst however long it waits; asked at a time its caller read once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../../src/server/budgets/tokenBucket';
import { RateLimiter } from '../../../src/server/budgets/rateLimiter';

test('a bucket gives its burst at once, then a token per period of its rate, and says how long to wait', () => {
  const bucket = new TokenBucket({ perMinute: 120, burst: 3 }, 1000);
  for (let token = 0; token < 3; token++) assert.ok(bucket.take(1000));
  assert.equal(bucket.take(1000), false);
  assert.equal(bucket.waitMs(1000), 500);
  assert.equal(bucket.take(1250), false);
  assert.equal(bucket.waitMs(1250), 250);
  assert.ok(bucket.take(1500));
  assert.equal(bucket.available(1_000_000), 3, 'never more than its burst');
  assert.ok(bucket.full(1_000_000));
  bucket.spend(2, 1_000_000);
  assert.equal(bucket.available(1_000_000), 1);
  assert.equal(bucket.msUntil(3, 1_000_000), 1000);
});

test("a limiter forgets full buckets, and a sender's allowance is its own", () => {
  let now = 0;
  const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, () => now);
  assert.equal(limiter.take('anna'), undefined);
  assert.equal(limiter.take('anna'), 1000);
  assert.equal(limiter.take('ben'), undefined);
  now = 60_000;
  assert.equal(limiter.take('carla'), undefined);
  assert.equal(limiter.size, 1, 'the full buckets of anna and ben were forgotten');
  assert.equal(limiter.take('anna'), undefined);
});
