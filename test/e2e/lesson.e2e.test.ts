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
    const [teacher, alice] = await Promise.all([world.student('Keller'), world.student('Alice')]);
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
    await alice.panel().locator('.status.connected', { hasText: 'Alice Neu' }).waitFor({ timeout: 20_000 });
  },
);

/** Polls `read` until `match` holds; the error shows what it read last. */
async function eventually<T>(read: () => Promise<T>, match: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let value = await read();
  while (!match(value)) {
    if (Date.now() > deadline) throw new Error(`never ${what}; last seen: ${JSON.stringify(value)}`);
    await sleep(250);
    value = await read();
  }
  return value;
}

/** A classmate typing into netcat, as the course's first exercise does: its name first, then lines. */
function netcat(world: World, name: string): Started {
  const student = world.track(name, startGroup('nc', ['127.0.0.1', String(world.relayPort)], { input: true }));
  student.write(`${name}\n`);
  return student;
}

scenario(
  '15. A teacher of thirty (VS Code, the Python course client and netcat): hands and direct questions arrive in one inbox, oldest first, a notification tells of a hand while the chat is out of view, an answered question stays folded, and the chat and the inbox each keep a usable height at 900 × 700 and 1280 × 800',
  async (world) => {
    await world.startRelay();
    const [teacher, alice, bob] = await Promise.all([
      world.student('Keller'),
      world.student('Alice'),
      world.student('Bob'),
    ]);
    await Promise.all([
      teacher.connect(world.relayAddress, 'Frau Keller'),
      alice.connect(world.relayAddress, 'Alice'),
      bob.connect(world.relayAddress, 'Bob'),
    ]);
    await teacher.runCommand('Relay: Enter Teacher Key…');
    await teacher.answer(/teacher key for/i, world.teacherKey);
    await teacher.waitForStatusBar(/Frau Keller \(Teacher\)/, 20_000);

    const course = [1, 2, 3, 4].map((n) => {
      const client = python(world, `course-${n}`, 'course_client.py', ['127.0.0.1', world.relayPort]);
      client.write(`Kurs${n}\n`);
      return client;
    });
    const typing = Array.from({ length: 23 }, (_, n) => netcat(world, `Netcat${String(n + 1).padStart(2, '0')}`));
    for (const client of course) await waitOutput(client, 'Empfänger: ');
    await teacher.openRoster();
    // The tree shows the rows that fit its height; its header counts them all.
    await eventually(
      () => teacher.rosterHeader(),
      (header) => /29 students/.test(header),
      'a class of 29 students',
    );

    // Questions in the order they are asked: a hand from netcat, one from the course client (`Recipient:Text`), a
    // direct message from Bob; later Alice's hand from VS Code while the teacher's chat is out of view.
    const questions = (count: number, what: string) =>
      eventually(
        () => teacher.questionRows(),
        (rows) => rows.length === count,
        what,
      );
    typing[0]!.write('!hand Was macht bind()?\n');
    await questions(1, 'the first hand in the inbox');
    course[0]!.write('!hand\nWarum blockiert recv()?\n');
    await questions(2, 'the course client’s hand');
    await bob.sendFromPanel('Frau Keller', 'Muss ich encode() aufrufen?');
    const open = await questions(3, 'Bob’s question');
    assert.deepEqual(
      open.map((row) => [row.label, row.description.split(' · ')[0]]),
      [
        ['Netcat01', 'Was macht bind()?'],
        ['Kurs1', 'Warum blockiert recv()?'],
        ['Bob', 'Muss ich encode() aufrufen?'],
      ],
      'open questions, oldest first, each with its name and question (the course client’s without the colon)',
    );
    for (const row of open) assert.match(row.aria, /open$/, `${row.label}'s question reads as open`);

    await teacher.sendFromPanel('Bob', 'Ja: sendall() will Bytes.');
    await eventually(
      () => teacher.questionRows(),
      (rows) => rows.length === 3 && rows[2]!.aria === '1 answered question',
      'Bob’s question answered and folded',
    );

    for (const viewport of [
      { width: 900, height: 700 },
      { width: 1280, height: 800 },
    ]) {
      await teacher.page.setViewportSize(viewport);
      await teacher.page.waitForTimeout(800);
      const messages = await teacher.box(teacher.panel().locator('.messages'));
      const inbox = await teacher.box(teacher.questionsPane().locator('.pane-body'));
      const at = `${viewport.width} × ${viewport.height}`;
      assert.ok(messages && inbox, `at ${at} the chat and the inbox both show`);
      assert.ok(messages.height >= 200, `at ${at} the chat's messages are ${Math.round(messages.height)} px tall`);
      assert.ok(inbox.height >= 4 * 22, `at ${at} the inbox is ${Math.round(inbox.height)} px tall: four rows or more`);
    }

    await teacher.hideChat();
    await alice.runCommand('Relay: Raise Hand');
    await alice.answer(/question for the teacher/, 'Wie teste ich greet?');
    const notice = await teacher.waitForNotification(/Alice/, 20_000);
    assert.match(notice, /Wie teste ich greet\?/, 'the notification names the question');
    const later = await questions(4, 'Alice’s hand');
    assert.deepEqual(
      later.map((row) => row.label),
      ['Netcat01', 'Kurs1', 'Alice', later[3]!.label],
      'the open ones stay on top, oldest first, above the folded answered one',
    );
    assert.equal(later[3]!.label, 'Answered (1)');
  },
);
