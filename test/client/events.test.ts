/** The product's one event source: listeners as disposables, a failing listener reported where its emitter says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter, onListenerError } from '../../src/client/events';

test("a listener that throws is reported to the emitter's own report, and the others still hear the event", () => {
  const reported: unknown[] = [];
  const global: unknown[] = [];
  const taken = onListenerError((error) => global.push(error));
  try {
    const emitter = new Emitter<number>({ report: (error) => reported.push(error) });
    const heard: number[] = [];
    emitter.on(() => {
      throw new Error('faulty');
    });
    const second = emitter.on((event) => heard.push(event));
    emitter.fire(1);
    second.dispose();
    emitter.fire(2);
    assert.deepEqual(heard, [1]);
    assert.deepEqual(
      reported.map((error) => (error as Error).message),
      ['faulty', 'faulty'],
    );
    assert.deepEqual(global, []);
  } finally {
    taken.dispose();
  }
});

test('without a report of its own, an emitter reports to whoever takes listener errors for the process', () => {
  const global: unknown[] = [];
  const taken = onListenerError((error) => global.push(error));
  try {
    const emitter = new Emitter<string>();
    emitter.on(() => {
      throw new Error('faulty');
    });
    emitter.fire('x');
    assert.equal(global.length, 1);
  } finally {
    taken.dispose();
  }
});

test('events fired before anyone listens are held for the first listener when asked to', async () => {
  const emitter = new Emitter<string>({ holdUntilListened: true });
  emitter.fire('early');
  const heard: string[] = [];
  emitter.on((event) => heard.push(event));
  await Promise.resolve();
  assert.deepEqual(heard, ['early']);
  emitter.clear();
  emitter.fire('late');
  assert.deepEqual(heard, ['early']);
});
