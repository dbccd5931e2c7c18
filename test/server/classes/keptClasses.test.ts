/**
 * Classes last a semester: a relay that keeps its lesson in a state folder keeps the classes made
 * on it there too, so a code and a class's teacher key handed out before a restart work after it;
 * a class that ended is gone from the folder.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relaysForThisFile } from '../../helpers/relay/cleanup';
import { classRequest, makeClass } from '../../helpers/relay/classes';
import { FramedPeer } from '../../helpers/relay/peers';

const relay = relaysForThisFile();
const ADMIN = 'schulhaus-admin-schluessel-7';
const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relay-classes-'));
  folders.push(dir);
  return dir;
}

test("a class's code and its teacher key work after the relay restarts; an ended class stays ended", async () => {
  const stateDir = folder();
  const first = await relay({ adminKey: ADMIN, stateDir });
  const kept = await makeClass(first.port, ADMIN);
  const ended = await makeClass(first.port, ADMIN);
  const answer = await classRequest(first.port, { type: 'class-end', id: 'e1', code: ended.code, adminKey: ADMIN });
  assert.equal(answer.type, 'class-ended');
  await first.close();

  const second = await relay({ adminKey: ADMIN, stateDir });
  assert.ok(
    second.logs.some((line) => line.includes('classes kept: 1')),
    second.logs.join('\n'),
  );
  const teacher = await FramedPeer.hello(second.port, 'Frau Keller', { class: kept.code, teacherKey: kept.teacherKey });
  assert.equal(teacher.answer.type === 'welcome' && teacher.answer.role, 'teacher');
  const gone = await FramedPeer.hello(second.port, 'Mia', { class: ended.code });
  assert.equal(gone.answer.type === 'error' && gone.answer.code, 'unknown-class');
  const listed = await classRequest(second.port, { type: 'class-list', id: 'l1', adminKey: ADMIN });
  assert.deepEqual(listed.type === 'classes' && listed.classes.map((entry) => entry.code), [kept.code]);
});
