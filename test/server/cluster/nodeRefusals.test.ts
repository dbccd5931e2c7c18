/**
 * What a client is told when a relay node refuses its registration because of the other nodes:
 * the node cannot reach them (connect to another node), or a member of another node holds the
 * name or one that looks the same; in each dialect's words, and in the log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { courseRefusal, framedRefusal } from '../../../src/server/sessions/joinRefusals';

const UNAVAILABLE = {
  ok: false,
  refused: 'unavailable',
  detail: 'this relay node cannot reach the other nodes',
} as const;

test('a node that cannot reach the others says so, and sends the client to another node', () => {
  assert.deepEqual(framedRefusal(UNAVAILABLE, 'Zoe', '10.0.0.9'), {
    code: 'node-unavailable',
    message: 'this relay node cannot reach the other nodes; connect to another node of the relay',
    log: 'name "Zoe": this relay node cannot reach the other nodes',
  });
  const course = courseRefusal(UNAVAILABLE, 'Zoe');
  assert.match(course.line, /^Fehler: .*anderen Knoten neu verbinden\.$/);
  assert.equal(course.reason, 'node unavailable');
  assert.equal(course.log, 'name "Zoe": this relay node cannot reach the other nodes');
});

test("a name held on another node is taken; a look-alike's holder is named", () => {
  const taken = { ok: false, refused: 'taken', holder: 'Zoe', held: false } as const;
  assert.equal(framedRefusal(taken, 'Zoe', '10.0.0.9').message, 'the name "Zoe" is already taken');
  assert.equal(framedRefusal(taken, 'Zoe', '10.0.0.9').code, 'name-taken');
  const lookalike = { ok: false, refused: 'taken', holder: 'Alice', held: false } as const;
  assert.equal(
    framedRefusal(lookalike, 'AIice', '10.0.0.9').message,
    'the name "AIice" is already taken; it looks the same as "Alice", who is connected',
  );
  assert.match(courseRefusal(lookalike, 'AIice').line, /"AIice" sieht aus wie "Alice"/);
  assert.equal(courseRefusal(lookalike, 'AIice').reason, 'name taken');
});
