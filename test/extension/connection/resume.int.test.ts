/**
 * The dialect each server spoke, kept for the next window in the storage all windows share, so
 * that the next connect to a course server skips the probe, and is probed again when old. Two
 * windows are two sets of the extension's parts over one storage; the course server (the Python
 * re-creation) and the connections are real.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECT_KEEP_MS } from '../../../src/client/dialectMemory';
import { DIALECT_MEMORY } from '../../../src/extension/connection/dialectMemory';
import { courseServer, stopAll } from '../../helpers/process/processes';
import { hostsForThisFile, MemoryStorage, type ExtensionHost } from '../../helpers/extension/parts';

const host = hostsForThisFile(after);
after(stopAll);

/** The bytes this window sent first, from the wire trace in its log. */
function firstSent(window: ExtensionHost): string | undefined {
  return window.log.find((line) => line.startsWith('info: → sent'));
}

test('with dialect auto, the dialect a server spoke is remembered and tried first: a course server gets the name, not a probe, on the next connect', async () => {
  const course = await courseServer('course_server.py');
  const storage = new MemoryStorage();
  const first = host({ storage, settings: { traceWire: true } });
  await first.connect(course.port, 'Alice');
  assert.match(firstSent(first) ?? '', /→ sent \d+ B: \{"type":"/, 'the first connect probes');
  const memory = storage.get<Record<string, { dialect: string; at: number }>>(DIALECT_MEMORY);
  assert.equal(memory?.[`127.0.0.1:${course.port}`]?.dialect, 'course');
  first.parts.lifecycle.disconnect();

  const next = host({ storage, settings: { traceWire: true } });
  await next.connect(course.port, 'Alice');
  assert.equal(firstSent(next), 'info: → sent 5 B: Alice', 'the next one says its name at once');
  const state = next.parts.lifecycle.state;
  assert.equal(state.kind === 'connected' && state.dialect, 'course');
  await course.child.waitFor(/'Alice' verbunden[\s\S]*'Alice' verbunden/);
  const strayNames = course.child.stdout.match(/^'\{"type":.*' verbunden/gm) ?? [];
  assert.equal(strayNames.length, 1, `one stray name in all, from the first connect's probe: ${course.child.stdout}`);
});

test('a remembered dialect older than 12 hours is probed again, and one that fails (the server behind the address changed) is probed and replaced', async () => {
  const course = await courseServer('course_server.py');
  const address = `127.0.0.1:${course.port}`;
  const storage = new MemoryStorage();
  await storage.update(DIALECT_MEMORY, { [address]: { dialect: 'course', at: Date.now() - DIALECT_KEEP_MS - 60_000 } });
  const stale = host({ storage, settings: { traceWire: true } });
  await stale.connect(course.port, 'Alice');
  assert.match(firstSent(stale) ?? '', /→ sent \d+ B: \{"type":"/, 'an old memory is not trusted');
  stale.parts.lifecycle.disconnect();

  await storage.update(DIALECT_MEMORY, { [address]: { dialect: 'relay', at: Date.now() } });
  const changed = host({ storage });
  await changed.connect(course.port, 'Bob');
  const state = changed.parts.lifecycle.state;
  assert.equal(
    state.kind === 'connected' && state.dialect,
    'course',
    'the relay remembered did not answer: detection found the course server',
  );
  assert.equal(storage.get<Record<string, { dialect: string }>>(DIALECT_MEMORY)?.[address]?.dialect, 'course');
});
