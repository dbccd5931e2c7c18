/**
 * A relay keeping its lesson (src/server/state/keptLesson.ts): a teacher key given (VS Code's
 * secret storage, --teacher-key, RELAY_TEACHER_KEY) is used but never written to the folder, and
 * a copy of it an earlier version kept is removed without a trace, while a key the relay made
 * stays kept; what the classroom's bounds leave out of a restored lesson leaves the file with the
 * first write.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEPT_HINT_BYTES } from '../../../src/protocol/limits';
import { Classroom } from '../../../src/server/classroom/classroom';
import { RELAY_DEFAULTS } from '../../../src/server/policy/defaults';
import { keepLesson } from '../../../src/server/state/keptLesson';
import type { Hint } from '../../../src/server/state/keptRows';
import { LESSON_FILE, LessonStore, type KeptLesson } from '../../../src/server/state/lessonStore';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { FramedPeer } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const LESSON_MS = RELAY_DEFAULTS.lessonStateMs.value;
const GIVEN = 'aus-dem-schluesselbund-von-vscode';

const folders: string[] = [];
after(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'relay-kept-'));
  folders.push(made);
  return made;
};

const open = (dir: string) => LessonStore.open({ dir, lessonMs: LESSON_MS, log: () => {} });

async function keptIn(dir: string): Promise<KeptLesson> {
  const store = await open(dir);
  store.close();
  return store.kept;
}

const fileHolds = (dir: string, text: string) => readFileSync(join(dir, LESSON_FILE)).includes(Buffer.from(text));

test('a teacher key given is used but never written to the folder; the key the relay made stays kept', async () => {
  const dir = folder();
  const first = await relay({ stateDir: dir });
  const made = first.relay.teacherKey;
  assert.ok(made);
  await first.close();
  assert.equal((await keptIn(dir)).teacherKey, made, 'a key the relay made is kept');

  const given = await relay({ stateDir: dir, teacherKey: GIVEN });
  assert.equal(given.relay.teacherKey, GIVEN);
  const teacher = await FramedPeer.connect(given.port, 'Frau Keller', { teacherKey: GIVEN });
  assert.equal((await teacher.next('roster')).total, 0, 'the key given makes a teacher');
  teacher.send({ type: 'broadcast', id: 'h1', text: 'Tipp: bind vor listen' });
  await teacher.next('ack', (ack) => ack.id === 'h1');
  await teacher.close();
  await given.close();
  assert.ok(!fileHolds(dir, GIVEN), 'the key given is nowhere in the file');
  const kept = await keptIn(dir);
  assert.equal(kept.teacherKey, made, 'the key the relay made comes back at a start without one');
  assert.deepEqual(
    kept.hints.map((hint) => hint.text),
    ['Tipp: bind vor listen'],
    'the lesson is kept',
  );
});

test('a copy of the key given that an earlier version kept is removed, without a trace in the file', async () => {
  const dir = folder();
  const earlier = await open(dir);
  await earlier.write({ teacherKey: GIVEN, standing: [['anna', { sent: 1, received: 0 }]] });
  earlier.close();
  assert.ok(fileHolds(dir, GIVEN), 'an earlier version kept it');

  const given = await relay({ stateDir: dir, teacherKey: GIVEN });
  await given.close();
  assert.ok(!fileHolds(dir, GIVEN), 'not even in the free space of the file');
  const kept = await keptIn(dir);
  assert.equal(kept.teacherKey, undefined);
  assert.deepEqual(kept.standing, [['anna', { sent: 1, received: 0 }]], 'the rest of the lesson stays');
});

test("hints the classroom's bounds leave out of a restored lesson leave the file with the first write", async () => {
  const dir = folder();
  const textLength = 8000;
  const hints: Hint[] = Array.from({ length: 50 }, (_, i) => ({
    type: 'broadcast',
    from: 'Frau Keller',
    text: `${i}`.padEnd(textLength, '.'),
    at: '2026-03-02T08:05:00.000Z',
    id: `h${i}`,
    teacher: true,
  }));
  const store = await open(dir);
  await store.write({ hints, standing: [] });
  store.close();
  const within = Math.floor(KEPT_HINT_BYTES / textLength);
  assert.ok(within < hints.length, 'more hints are kept than the classroom keeps');

  const classroom = new Classroom({ rosterMs: 60_000 }, () => []);
  const { keeper } = await keepLesson(classroom, { stateDir: dir }, { writeMs: 10, lessonMs: LESSON_MS }, () => {});
  await keeper.close();
  classroom.dispose();
  const kept = await keptIn(dir);
  assert.deepEqual(
    kept.hints.map((hint) => hint.id),
    hints.slice(-within).map((hint) => hint.id),
    'the file holds the newest hints within the bounds, and no others',
  );
});
