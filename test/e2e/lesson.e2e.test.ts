/**
 * A lesson as a class lives it in real VS Code (code-server): the relay restarted in the middle of it, a window
 * reloaded, a teacher of thirty keeping track of questions. Each scenario starts its own relay and its own VS Codes.
 */
import assert from 'node:assert/strict';
import { CLI } from '../helpers/process/processes';
import { sleep } from '../helpers/relay/peers';
import { startGroup, type Started } from './processGroup';
import { python, scenario, waitOutput } from './scenario';
import type { Workbench } from './workbench';
import type { World } from './world';

const HINT = 'Tipp: recv(1024) liefert höchstens 1024 Bytes.';
const QUESTION = 'Wie teste ich greet?';

/** A second teacher in the terminal (`classroom-relay chat` with the relay's key), who hints and mutes. */
async function terminalTeacher(world: World, name: string): Promise<Started> {
  const teacher = world.track(
    name,
    startGroup(process.execPath, [CLI, 'chat', '-s', world.relayAddress, '-n', name], {
      input: true,
      env: world.teacherEnv(),
    }),
  );
  await waitOutput(teacher, 'Connected to');
  return teacher;
}

/** A classmate in the terminal (`classroom-relay chat`), connected. */
async function terminalStudent(world: World, name: string): Promise<Started> {
  const student = world.track(
    name,
    startGroup(process.execPath, [CLI, 'chat', '-s', world.relayAddress, '-n', name], { input: true }),
  );
  await waitOutput(student, 'Connected to');
  return student;
}

/** The roster's rows without what a restart may change (when each connected), to compare before and after. */
async function lessonRows(teacher: Workbench, students: number): Promise<string[]> {
  const rows = await teacher.waitForRoster((candidate) => candidate.length === students, `${students} students`);
  return rows.map((row) => `${row.label}: ${row.description}`);
}

scenario(
  '13. The relay restarts in the middle of a lesson, by Ctrl+C and by a crash: the teacher is a teacher again without typing the key, the hint, the raised hand with its question, the mute and the counts are as they were, a student who joins afterwards gets the hint, and nobody is told of a change that did not happen',
  async (world) => {
    await world.startRelay({ keyFrom: 'relay' });
    const firstKey = world.teacherKey;
    const [teacher, alice] = await Promise.all([
      world.student('Keller', { settings: { 'relay.name': 'Frau Keller' } }),
      world.student('Alice'),
    ]);
    await Promise.all([teacher.connect(world.relayAddress, 'Frau Keller'), alice.connect(world.relayAddress, 'Alice')]);
    await teacher.runCommand('Relay: Enter Teacher Key…');
    await teacher.answer(/teacher key for/i, firstKey);
    await teacher.waitForStatusBar(/Frau Keller \(Teacher\)/, 20_000);

    const roth = await terminalTeacher(world, 'Herr Roth');
    roth.write(`/all ${HINT}\n`);
    await alice.panel().locator('.hints .hint').first().waitFor({ timeout: 20_000 });
    await alice.runCommand('Relay: Raise Hand');
    await alice.answer(/question for the teacher/, QUESTION);
    await alice.panel().locator('.standing .hand-up').waitFor({ timeout: 15_000 });
    await alice.sendFromPanel('Frau Keller', 'Ich komme nicht weiter.');
    await alice.waitForMessage((message) => message.delivery === 'delivered', 'delivered to the teacher');
    roth.write('/mute Alice 30\n');
    await alice.panel().locator('.standing .muted-notice').waitFor({ timeout: 15_000 });
    const carol = python(world, 'carol', 'course_client.py', ['127.0.0.1', world.relayPort]);
    carol.write('Carol\n');
    await waitOutput(carol, HINT);

    await teacher.openRoster();
    await teacher.waitForRoster(
      (rows) => rows.length === 2 && rows[0]?.label === 'Alice' && /muted until/.test(rows[0].description),
      'Alice with her hand up and muted, and Carol',
    );
    const before = await lessonRows(teacher, 2);
    await alice.clearNotifications();

    for (const stop of ['Ctrl+C', 'a crash'] as const) {
      if (stop === 'Ctrl+C') await world.stopRelay();
      else {
        // What the relay writes it writes in batches: a crash right after a change may lose the last batch.
        await sleep(1500);
        await world.killRelay();
      }
      await alice.panel().locator('.status.reconnecting').waitFor({ timeout: 10_000 });
      await world.startRelay({ keyFrom: 'relay' });
      assert.equal(world.teacherKey, firstKey, `after ${stop} the relay keeps its teacher key`);

      await teacher.waitForStatusBar(/Frau Keller \(Teacher\)/, 45_000);
      await alice.panel().locator('.status.connected').waitFor({ timeout: 45_000 });
      assert.equal(
        await teacher.page.locator('.quick-input-widget input').isVisible(),
        false,
        `after ${stop} nobody asks the teacher for a key`,
      );
      const dora = python(world, `dora-${stop === 'Ctrl+C' ? 1 : 2}`, 'course_client.py', [
        '127.0.0.1',
        world.relayPort,
      ]);
      dora.write(`Dora${stop === 'Ctrl+C' ? 1 : 2}\n`);
      await waitOutput(dora, HINT);
      await dora.stop();

      await alice.panel().locator('.standing .hand-up').waitFor({ timeout: 15_000 });
      await alice.panel().locator('.standing .muted-notice').waitFor({ timeout: 15_000 });
      assert.deepEqual(
        await lessonRows(teacher, 1),
        before.filter((row) => row.startsWith('Alice:')),
        `after ${stop} Alice's hand, question, mute and counts are as they were (Carol's course client left)`,
      );
      const told = await alice.notifications();
      assert.deepEqual(
        told.filter((text) => /unmuted|lowered|hand/i.test(text)),
        [],
        `after ${stop} Alice is told of no change to her mute or hand`,
      );
      assert.equal((await alice.pinnedHints()).length, 1, `after ${stop} Alice's hint is still pinned, once`);
    }
  },
);

scenario(
  '14. After a window reload the chat shows its history at once, also while the relay is away, and connects again by itself under its name; names keep their case; Register Name keeps the name when the relay refuses the new one, and while disconnected is the name the next Connect uses',
  async (world) => {
    const { Alice: alice } = await world.connectedStudents({ Alice: {} });
    const keller = await terminalStudent(world, 'Frau Keller');
    keller.write('Alice: Hallo Alice, wie weit bist du?\n');
    await alice.selectConversation('Frau Keller');
    await alice.waitForMessage((message) => message.text === 'Hallo Alice, wie weit bist du?', 'from Frau Keller');

    await keller.stop();
    await world.stopRelay();
    await alice.reload();
    await alice.chatView().waitFor({ timeout: 30_000 });
    const offline = await alice.waitForMessage(
      (message) => message.text === 'Hallo Alice, wie weit bist du?',
      'the history, while the relay is away',
    );
    assert.equal(offline.from, 'Frau Keller', 'the sender keeps the case of her name');
    assert.equal(
      await alice.panel().locator('.status.connected').count(),
      0,
      'the history shows before the relay is back',
    );
    const labels = await alice.panel().locator('.conversation .label').allInnerTexts();
    assert.ok(
      labels.includes('Frau Keller') && !labels.includes('frau keller'),
      `the conversation list names Frau Keller as she wrote her name: ${JSON.stringify(labels)}`,
    );
    assert.equal(await alice.panel().locator('select.recipient option:checked').innerText(), 'Frau Keller');

    await world.startRelay();
    await alice.panel().locator('.status.connected', { hasText: 'Alice' }).waitFor({ timeout: 45_000 });
    assert.equal(
      await alice.page.locator('.quick-input-widget input').isVisible(),
      false,
      'nothing asked Alice for her server or name',
    );

    await terminalStudent(world, 'Frau Keller');
    await alice.runCommand('Relay: Register Name');
    await alice.answer(/name/i, 'Frau Keller');
    await alice.waitForNotification(/You stay connected as "Alice"/, 20_000);
    await alice.panel().locator('.status.connected', { hasText: 'Alice' }).waitFor();

    await alice.runCommand('Relay: Disconnect');
    await alice.panel().locator('.status.connected').waitFor({ state: 'detached', timeout: 10_000 });
    await alice.runCommand('Relay: Register Name');
    await alice.answer(/name/i, 'Alice Neu');
    await alice.waitForNotification(/your name is now Alice Neu/);
    await alice.runCommand('Relay: Connect');
    await alice.answer(/host:port/, world.relayAddress, 30_000);
    await alice.panel().locator('.status.connected', { hasText: 'Alice Neu' }).waitFor({ timeout: 20_000 });
  },
);
