/**
 * The product as students use it: real VS Code (code-server) in headless Chromium, our relay,
 * and the course's Python programs, re-created. Each scenario starts its own relay and its own
 * students and stops them when it ends, so any one runs alone (--test-name-pattern) and a
 * failure stays in its scenario. Opt out with RELAY_E2E=skip.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, sleep } from '../helpers/relay/peers';
import { eventually } from '../helpers/time/wait';
import { CLI } from '../helpers/process/processes';
import { startGroup } from './processGroup';
import { python, scenario, SCREENSHOTS, waitOutput } from './scenario';
import type { Box, Workbench } from './workbench';

/** A student's socket code for the course, with the underscores a chat must show whole. */
const SEND_MESSAGE =
  'import socket\n\n\ndef send_message(sock, to, text):\n    """Schickt text über das Relay an to."""\n    sock.sendall(f"{to}:{text}\\n".encode())\n';

const GREET = 'def greet(name):\n    """Grüsst freundlich."""\n    return f"Hallo {name}! 👋"\n\nprint(greet("Bob"))\n';

scenario(
  '1. Alice and Bob connect through "Relay: Connect", message each other, and Bob sees one unread',
  async (world) => {
    const { Alice: alice, Bob: bob } = await world.connectedStudents({ Alice: {}, Bob: {} });
    await alice.panel().locator('.conversation', { hasText: 'Bob' }).waitFor();
    await alice.sendFromPanel('Bob', 'Hallo Bob, hier ist Alice!');
    const sent = await alice.waitForMessage((message) => message.text === 'Hallo Bob, hier ist Alice!', 'as sent');
    await alice.waitForMessage((message) => message.id === sent.id && message.delivery === 'delivered', 'delivered');
    await bob.waitForStatusBar(/Bob\s+1$/);
    const unreadBadge = bob.panel().locator('.conversation', { hasText: 'Alice' }).locator('.badge');
    await unreadBadge.waitFor();
    assert.equal(await unreadBadge.innerText(), '1', 'the unread badge on Alice in the conversation list');
    await bob.selectConversation('Alice');
    const received = await bob.waitForMessage((message) => message.text === 'Hallo Bob, hier ist Alice!', 'from Alice');
    assert.equal(received.from, 'Alice');
    await bob.waitForStatusBar(/Bob$/);
    await bob.sendFromPanel('Alice', 'Hallo Alice! Alles klar.');
    await alice.waitForMessage(
      (message) => message.from === 'Bob' && message.text === 'Hallo Alice! Alles klar.',
      'the answer from Bob',
    );
    for (const student of [alice, bob]) {
      const texts = (await student.messages()).map((message) => message.text);
      assert.deepEqual(texts, ['Hallo Bob, hier ist Alice!', 'Hallo Alice! Alles klar.'], student.name);
    }
  },
);

scenario(
  '2. Alice sends a selected function; Bob inserts the highlighted snippet at his cursor, byte for byte',
  async (world) => {
    const { Alice: alice, Bob: bob } = await world.connectedStudents({
      Alice: { files: { 'greet.py': GREET } },
      Bob: { files: { 'notes.py': '' } },
    });
    await bob.openFile('notes.py');
    await alice.openFile('greet.py');
    await alice.selectLines(1, 3);
    await alice.runCommand('Relay: Send Selection to Peer…');
    await alice.answer(/Choose a classmate/, 'Bob');
    await bob.runCommand('Relay: Open Chat');
    await bob.selectConversation('Alice');
    const snippet = await bob.waitForMessage((message) => message.snippet, 'with a snippet');
    const expected = GREET.split('\n').slice(0, 3).join('\n');
    assert.equal(snippet.text, expected);
    const item = bob.panel().locator(`[data-id="${snippet.id}"]`);
    assert.ok((await item.locator('.token.keyword').count()) > 0, 'the snippet is highlighted');
    assert.match(await item.locator('figcaption').innerText(), /python\s+greet\.py lines 1–3/);
    await item.getByRole('button', { name: 'Insert at cursor' }).click();
    await bob.page.locator('.tab.active', { hasText: 'notes.py' }).waitFor();
    assert.equal(await bob.saveAndRead('notes.py', expected), expected);
  },
);

scenario(
  '3. A VS Code student and the Python course client chat through our relay in both directions',
  async (world) => {
    const { Alice: alice } = await world.connectedStudents({ Alice: {} });
    const carol = python(world, 'carol', 'course_client.py', ['127.0.0.1', world.relayPort]);
    carol.write('Carol\n');
    await waitOutput(carol, 'Empfänger: ');
    await alice.runCommand('Relay: Open Chat');
    await alice.panel().locator('.conversation', { hasText: 'Carol' }).waitFor();
    await alice.sendFromPanel('Carol', 'Hallo Carol, aus VS Code');
    await waitOutput(carol, 'Alice: Hallo Carol, aus VS Code');
    carol.write('Alice\nHallo Alice, aus Python\n');
    const message = await alice.waitForMessage(
      (candidate) => candidate.text === 'Hallo Alice, aus Python',
      'from the course client',
    );
    assert.equal(message.from, 'Carol');
    await alice.waitForMessage(
      (candidate) => candidate.text === 'Hallo Carol, aus VS Code' && candidate.delivery === 'delivered',
      'delivered to Carol',
    );
  },
);

scenario('4. In German the command titles and the panel are German', async (world) => {
  const dana = await world.student('Dana', { locale: 'de' });
  // The palette shows only the rows that fit: each title is looked for by itself.
  for (const title of [
    'Relay: Verbinden',
    'Relay: Trennen',
    'Relay: Namen ändern',
    'Relay: Chat öffnen',
    'Relay: Nachricht senden…',
    'Relay: Auswahl senden…',
    'Relay: Hinweis an alle…',
    'Relay: Hand heben',
    'Relay: Klassenzimmer hosten',
    'Relay: Lehrpersonen-Schlüssel eingeben…',
  ]) {
    const titles = await dana.paletteTitles(title);
    assert.ok(titles.includes(title), `${title} in ${JSON.stringify(titles)}`);
  }
  await dana.runCommand('Relay: Chat öffnen');
  const panel = dana.panel();
  await panel.locator('.status').filter({ hasText: 'Nicht verbunden.' }).waitFor();
  assert.equal(await panel.locator('.conversation .label').first().innerText(), 'Alle / Hinweise');
  assert.equal(await panel.locator('button.send').innerText(), 'Senden');
  assert.equal(await panel.locator('textarea').getAttribute('placeholder'), 'Nachricht schreiben');
  assert.equal(await panel.locator('.status button').innerText(), 'Verbinden');
});

scenario(
  '5. Against the Python course server: connect, message, and the German "not found" shown as a failed delivery',
  async (world) => {
    const coursePort = await freePort();
    const server = python(world, 'course-server', 'course_server.py', [coursePort, '127.0.0.1']);
    const [dana] = await Promise.all([world.student('Dana', { locale: 'de' }), waitOutput(server, 'Server läuft')]);
    const erik = python(world, 'erik', 'course_client.py', ['127.0.0.1', coursePort]);
    erik.write('Erik\n');
    await waitOutput(erik, 'Empfänger: ');
    await dana.runCommand('Relay: Verbinden');
    await dana.answer(/host:port/, `127.0.0.1:${coursePort}`);
    await dana.answer(/deine Klasse/, 'Dana');
    await dana.panel().locator('.status.connected').filter({ hasText: 'Kurs-Server' }).waitFor({ timeout: 20_000 });
    await waitOutput(server, "'Dana' verbunden");
    await dana.runCommand('Relay: Nachricht senden…');
    await dana.answer(/Wähle jemanden/, 'Erik');
    await dana.answer(/Deine Nachricht an Erik/, 'Hallo Erik, vom Kurs-Server');
    await waitOutput(erik, 'Dana: Hallo Erik, vom Kurs-Server');
    await dana.waitForMessage(
      (message) => message.text === 'Hallo Erik, vom Kurs-Server' && message.delivery === 'sent',
      'as sent',
    );
    erik.write('Dana\nHallo Dana!\n');
    await dana.selectConversation('Erik');
    await dana.waitForMessage((message) => message.from === 'Erik' && message.text === 'Hallo Dana!', 'from Erik');
    await dana.runCommand('Relay: Nachricht senden…');
    await dana.answer(/Wähle jemanden/, 'Niemand');
    await dana.answer(/Deine Nachricht an Niemand/, 'Bist du da?');
    await dana.selectConversation('Niemand');
    const failed = await dana.waitForMessage(
      (message) => message.text === 'Bist du da?' && message.delivery === 'failed',
      'failed',
    );
    assert.equal(failed.failure, 'Niemand ist nicht online.');
  },
);

scenario(
  '6. The relay dies while Alice is connected; her message waits, then arrives at Bob exactly once',
  async (world) => {
    const { Alice: alice, Bob: bob } = await world.connectedStudents({ Alice: {}, Bob: {} });
    await alice.runCommand('Relay: Open Chat');
    await alice.panel().locator('.conversation', { hasText: 'Bob' }).waitFor();
    await world.killRelay();
    await alice.waitForStatusBar(/Relay/);
    await alice.panel().locator('.status.reconnecting').waitFor({ timeout: 10_000 });
    await alice.sendFromPanel('Bob', 'Geschrieben, als das Relay weg war');
    const pending = await alice.waitForMessage(
      (message) => message.text === 'Geschrieben, als das Relay weg war',
      'written offline',
    );
    assert.equal(pending.delivery, 'pending');
    await sleep(1000);
    assert.equal((await alice.messages()).find((message) => message.id === pending.id)?.delivery, 'pending');
    await world.startRelay();
    await alice.waitForMessage(
      (message) => message.id === pending.id && message.delivery === 'delivered',
      'delivered after the restart',
      45_000,
    );
    await bob.runCommand('Relay: Open Chat');
    await bob.selectConversation('Alice');
    await bob.waitForMessage((message) => message.text === 'Geschrieben, als das Relay weg war', 'at Bob');
    await sleep(1500);
    assert.equal(
      (await bob.messages()).filter((message) => message.text === 'Geschrieben, als das Relay weg war').length,
      1,
    );
  },
);

scenario(
  '7. A hint reaches every connected chat, and a student whose chat is out of view gets a notification',
  async (world) => {
    const { Alice: alice, Bob: bob } = await world.connectedStudents({ Alice: {}, Bob: {} });
    await alice.runCommand('Relay: Open Chat');
    await alice.selectConversation('Everyone / hints');
    await bob.hideChat();
    const teacher = world.track(
      'teacher',
      startGroup(process.execPath, [CLI, 'chat', '-s', world.relayAddress, '-n', 'Frau Keller'], {
        input: true,
        env: world.teacherEnv(),
      }),
    );
    await waitOutput(teacher, 'Connected to');
    teacher.write('/all Tipp: recv(1024) liefert höchstens 1024 Bytes.\n');
    const hint = await alice.waitForMessage(
      (message) => message.text === 'Tipp: recv(1024) liefert höchstens 1024 Bytes.',
      'the hint',
    );
    assert.equal(hint.from, 'Frau Keller');
    const notification = await bob.waitForNotification(/Hint from Frau Keller \(teacher\): Tipp: recv\(1024\)/);
    assert.match(notification, /Open Chat/);
  },
);

scenario(
  "8. The teacher hosts the relay from VS Code; two students connect to the address it shows, a student cannot broadcast, the teacher's selection is pinned as a hint for both and for a third who joins later, and the roster shows three students with their counts and one raised hand",
  async (world) => {
    const hostPort = await freePort();
    const [teacher, alice, bob, carol] = await Promise.all([
      world.student('Keller', {
        files: { 'greet.py': GREET },
        settings: { 'relay.name': 'Frau Keller', 'relay.hostPort': hostPort },
      }),
      world.student('Alice'),
      world.student('Bob'),
      world.student('Carol'),
    ]);
    await teacher.runCommand('Relay: Host Classroom');
    const shown = await teacher.waitForNotification(/Your classroom relay runs on port/, 30_000);
    const address =
      /Students connect to: ([\d.]+:\d+)/.exec(shown)?.[1] ??
      /only this computer can connect \(([\d.]+:\d+)\)/.exec(shown)?.[1];
    assert.ok(address?.endsWith(`:${hostPort}`), `an address to give the class in ${JSON.stringify(shown)}`);
    await teacher.panel().locator('.status.connected').waitFor({ timeout: 20_000 });
    await teacher.waitForStatusBar(/Frau Keller \(Teacher\)/);

    await Promise.all([alice.connect(address!, 'Alice'), bob.connect(address!, 'Bob')]);
    await alice.runCommand('Relay: Broadcast Hint…');
    await alice.waitForNotification(/Only teachers send hints to everyone/);
    assert.equal(
      await alice.page.locator('.quick-input-widget input').isVisible(),
      false,
      "no input box for a student's hint",
    );
    const eve = world.track(
      'eve',
      startGroup(process.execPath, [CLI, 'send', '-s', address!, '-n', 'Eve', '--all', 'Die Lösung ist 42']),
    );
    const [code] = (await once(eve.child, 'exit')) as [number | null];
    assert.equal(code, 6, `the relay refuses a student's broadcast: ${eve.output()}`);
    assert.match(eve.output(), /only teachers/i);

    await teacher.openFile('greet.py');
    await teacher.selectLines(1, 3);
    await teacher.runCommand('Relay: Broadcast Hint…');
    const asked = await teacher.confirm('Send Hint');
    assert.match(
      asked,
      /Send this hint to the class \(2 students online\)\?/,
      'the teacher is asked, and told to whom',
    );
    assert.match(asked, /def greet\(name\):/, 'the teacher sees what goes out');
    const code3 = GREET.split('\n').slice(0, 3).join('\n');
    for (const student of [alice, bob]) {
      await student.panel().locator('.hints .hint').first().waitFor({ timeout: 20_000 });
      assert.deepEqual(
        await student.pinnedHints(),
        [{ from: 'Frau Keller', teacher: true, earlier: false, text: code3 }],
        `${student.name} sees the hint pinned`,
      );
    }
    await alice.sendFromPanel('Bob', 'Hast du den Tipp gesehen?');
    await alice.waitForMessage(
      (message) => message.text === 'Hast du den Tipp gesehen?' && message.delivery === 'delivered',
      'delivered to Bob',
    );
    await bob.runCommand('Relay: Raise Hand');
    await bob.answer(/question for the teacher/, 'Wie teste ich greet?');
    await bob.panel().locator('.standing .hand-up').waitFor({ timeout: 15_000 });

    // The hosted relay keeps the lesson in the extension's global storage, with SQLite (WebAssembly) running inside
    // VS Code's extension host.
    const kept = join(
      teacher.server.userData,
      'User',
      'globalStorage',
      'classroom-relay.classroom-relay',
      'hosted-relay',
      `port-${hostPort}`,
      'lesson.sqlite',
    );
    await eventually(
      () => existsSync(kept) && statSync(kept).size > 0,
      () => `${kept} is not written`,
      10_000,
    );
    await carol.connect(address!, 'Carol');
    await carol.panel().locator('.hints .hint').first().waitFor({ timeout: 20_000 });
    assert.deepEqual(
      await carol.pinnedHints(),
      [{ from: 'Frau Keller', teacher: true, earlier: true, text: code3 }],
      'Carol, who joined later, sees it too, marked as sent earlier',
    );

    await teacher.openRoster();
    const rows = await teacher.waitForRoster(
      (candidate) => candidate.length === 3 && candidate.some((row) => row.label === 'Carol'),
      'three students',
    );
    assert.deepEqual(
      rows.map((row) => row.label),
      ['Bob', 'Alice', 'Carol'],
      'the raised hand first',
    );
    assert.match(
      rows[0]!.description,
      /^hand up \d\d:\d\d [AP]M: Wie teste ich greet\? · 0 sent, 2 received · Classroom Relay client$/,
    );
    assert.equal(rows[1]!.description, '1 sent, 1 received · Classroom Relay client');
    assert.equal(rows[2]!.description, '0 sent, 0 received · Classroom Relay client');
    assert.equal(rows.filter((row) => row.description.startsWith('hand up')).length, 1);
    assert.match(
      rows[0]!.aria,
      /^Bob, Hand up since \d\d:\d\d [AP]M: Wie teste ich greet\?, Classroom Relay client at [\d.]+:\d+, Connected since \d\d:\d\d [AP]M, 0 messages sent, 2 received$/,
    );

    mkdirSync(SCREENSHOTS, { recursive: true });
    await teacher.resizeSideBar(520);
    await bob.resizeSideBar(400);
    for (const workbench of [teacher, bob]) await workbench.clearNotifications();
    await teacher.hoverRosterRow('Bob');
    await teacher.screenshot(join(SCREENSHOTS, 'teacher-roster.png'));
    await bob.chatView().screenshot({ path: join(SCREENSHOTS, 'pinned-hint.png') });
  },
);

/**
 * Whether two boxes share no pixel: the chat and the code side by side (or one above the other), neither over the
 * other.
 */
function apart(a: Box, b: Box): boolean {
  return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
}

/** Whether `inner` lies wholly within `outer`. */
function within(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

scenario(
  '9. The chat is a view beside the code: the status bar shows the way to it from the start; opening a file leaves the chat in view; Send Selection leaves the code in view with the keyboard; after a reload the chat is back, connected by itself, on its conversation',
  async (world) => {
    await world.startRelay();
    const [alice, bob] = await Promise.all([
      world.student('Alice', { files: { 'client.py': SEND_MESSAGE } }),
      world.student('Bob'),
    ]);
    // Before any command of ours: the extension is active and its status bar item shows.
    await alice.waitForStatusBar(/^Relay$/, 30_000);
    await Promise.all([alice.connect(world.relayAddress, 'Alice'), bob.connect(world.relayAddress, 'Bob')]);
    await alice.panel().locator('.conversation', { hasText: 'Bob' }).waitFor();

    await alice.openFile('client.py');
    const chat = await alice.box(alice.chatView());
    const code = await alice.box(alice.editor());
    assert.ok(
      chat && code,
      `the chat (${JSON.stringify(chat)}) and the code (${JSON.stringify(code)}) both show after opening a file`,
    );
    assert.ok(
      apart(chat, code),
      `the chat ${JSON.stringify(chat)} is beside the code ${JSON.stringify(code)}, not over it`,
    );

    await alice.selectLines(4, 6);
    await alice.runCommand('Relay: Send Selection to Peer…');
    await alice.answer(/Choose a classmate/, 'Bob');
    await alice.panel().locator('.conversation.current', { hasText: 'Bob' }).waitFor();
    await alice.waitForMessage(
      (message) => message.snippet && message.delivery === 'delivered',
      'the snippet, delivered',
    );
    await alice.page.locator('.tab.active', { hasText: 'client.py' }).waitFor();
    const codeAfter = await alice.box(alice.editor());
    const chatAfter = await alice.box(alice.chatView());
    assert.ok(
      codeAfter && chatAfter && apart(chatAfter, codeAfter),
      `after Send Selection the code ${JSON.stringify(codeAfter)} still shows beside the chat ${JSON.stringify(chatAfter)}`,
    );
    assert.equal(
      await alice.page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null),
      true,
      'the keyboard stays in the editor',
    );

    await bob.selectConversation('Alice');
    await bob.waitForMessage((message) => message.snippet, 'the snippet from Alice');
    await bob.sendFromPanel('Alice', 'Danke! Mit send_message klappt es jetzt.');
    await alice.waitForMessage((message) => message.text === 'Danke! Mit send_message klappt es jetzt.', 'the answer');

    mkdirSync(SCREENSHOTS, { recursive: true });
    await alice.resizeSideBar(460);
    await alice.clearNotifications();
    await alice.page.mouse.move(1000, 650);
    await alice.page.waitForTimeout(800);
    await alice.screenshot(join(SCREENSHOTS, 'chat-view.png'));

    await alice.reload();
    await alice.chatView().waitFor({ timeout: 30_000 });
    await alice.panel().locator('.status.connected', { hasText: 'Alice' }).waitFor({ timeout: 30_000 });
    await alice.panel().locator('.conversation.current', { hasText: 'Bob' }).waitFor();
    await alice.waitForMessage(
      (message) => message.text === 'Danke! Mit send_message klappt es jetzt.',
      'the conversation it showed before the reload',
    );
  },
);

scenario(
  "10. Nothing from a repository or a classmate steers a student's VS Code: a workspace that names another relay, name and auto-connect connects nowhere, and a message offering a command link shows as plain text in the notification, where a click opens nothing",
  async (world) => {
    await world.startRelay();
    const elsewhere = createServer((socket) => socket.destroy());
    let redirected = 0;
    elsewhere.on('connection', () => redirected++);
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const port = (elsewhere.address() as { port: number }).port;
      const workspaceSettings = {
        'relay.server': `127.0.0.1:${port}`,
        'relay.name': 'Mallory',
        'relay.autoConnect': true,
      };
      const alice = await world.student('Alice', {
        files: { '.vscode/settings.json': JSON.stringify(workspaceSettings, null, 2) },
      });
      await alice.waitForStatusBar(/^Relay$/, 30_000);
      // Connect asks for the server and the name: the workspace's are not taken.
      await alice.connect(world.relayAddress, 'Alice');
      assert.equal(redirected, 0, 'nothing connected to the relay the workspace named');

      await alice.hideChat();
      const eve = world.track(
        'eve',
        startGroup(process.execPath, [
          CLI,
          'send',
          '-s',
          world.relayAddress,
          '-n',
          'Eve',
          '--to',
          'Alice',
          '[Lösung ansehen](command:workbench.action.openSettings)',
        ]),
      );
      const [code] = (await once(eve.child, 'exit')) as [number | null];
      assert.equal(code, 0, eve.output());
      const shown = await alice.waitForNotification(/Eve: \[Lösung ansehen\]/);
      assert.match(
        shown,
        /Eve: \[Lösung ansehen\] \(command:workbench\.action\.openSettings\)/,
        'the text as written, in plain sight',
      );
      const message = alice.page
        .locator('.notifications-toasts .notification-toast', { hasText: 'Lösung ansehen' })
        .locator('.notification-list-item-message')
        .first();
      assert.equal(await message.locator('a').count(), 0, 'no link in the message');
      await message.click();
      await sleep(1500);
      assert.equal(await alice.page.locator('.settings-editor').count(), 0, 'the Settings editor did not open');
      assert.equal(await alice.page.locator('.tab', { hasText: /^Settings/ }).count(), 0, 'no Settings tab');
    } finally {
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  },
);

scenario(
  '11. In a 900 × 700 window the chat in the side bar keeps the composer and Send in view, also with the side bar narrowed',
  async (world) => {
    const viewport = { width: 900, height: 700 };
    const { Alice: alice } = await world.connectedStudents({ Alice: { viewport } });
    const screen = { x: 0, y: 0, ...viewport };
    for (const width of [undefined, 300, 240]) {
      if (width !== undefined) await alice.resizeSideBar(width);
      await alice.page.waitForTimeout(300);
      const chat = await alice.box(alice.chatView());
      assert.ok(chat, 'the chat shows');
      if (width !== undefined)
        assert.ok(
          chat.width <= width + 4,
          `the side bar was narrowed to ${width} px: the chat is ${Math.round(chat.width)} px wide`,
        );
      for (const [what, locator] of [
        ['the message box', alice.panel().locator('textarea')],
        ['Send', alice.panel().locator('button.send')],
      ] as const) {
        const box = await alice.box(locator);
        assert.ok(box, `${what} shows with the side bar ${width ?? 'as it opened'} (${Math.round(chat.width)} px)`);
        assert.ok(
          within(box, chat) && within(box, screen),
          `${what} ${JSON.stringify(box)} lies within the chat ${JSON.stringify(chat)} and the window, side bar ${width ?? 'as it opened'}`,
        );
      }
    }
  },
);

scenario(
  '12. The relay dies and comes back: while Alice waits to reconnect, her classmate shows as unknown, and "Reconnect now" reconnects at once instead of at the end of the wait',
  async (world) => {
    const { Alice: alice } = await world.connectedStudents({ Alice: {} });
    const bob = world.track(
      'bob',
      startGroup(process.execPath, [CLI, 'chat', '-s', world.relayAddress, '-n', 'Bob'], { input: true }),
    );
    await waitOutput(bob, 'Connected to');
    const row = alice.panel().locator('.conversation', { hasText: 'Bob' });
    await row.locator('.presence.online').waitFor({ timeout: 15_000 });
    await alice.watchStatus();
    await world.killRelay();
    await row.locator('.presence.unknown').waitFor({ timeout: 10_000 });

    // A wait of at least 3 s, just begun (the chat shows it), tells a reconnect at once from one at its end.
    for (let round = 1; ; round++) {
      const wait = await waitBegun(alice, 3);
      await world.startRelay();
      const due = wait.at + (wait.seconds - 0.5) * 1000;
      if (Date.now() < due - 1500) {
        const clicked = Date.now();
        await alice.panel().getByRole('button', { name: 'Reconnect now' }).click();
        await alice.panel().locator('.status.connected').waitFor({ timeout: 10_000 });
        const connected = (await alice.statusHistory()).find(
          (entry) => entry.at >= clicked - 50 && /^Connected as Alice/.test(entry.text),
        );
        assert.ok(connected, `connected after the click: ${JSON.stringify(await alice.statusHistory())}`);
        assert.ok(
          connected.at < due,
          `connected ${connected.at - clicked} ms after the click, before the wait of ${wait.seconds} s ended (${due - clicked} ms after the click)`,
        );
        break;
      }
      assert.ok(
        round < 6,
        'the relay never came back early enough in a wait to tell Reconnect now from the end of the wait',
      );
      await alice.panel().locator('.status.connected').waitFor({ timeout: 15_000 });
      await world.killRelay();
    }
    await row.locator('.presence.unknown').waitFor({ state: 'detached', timeout: 10_000 });
  },
);

/** The next wait before a reconnect of at least `seconds` that the chat's status line shows, and when it began. */
async function waitBegun(workbench: Workbench, seconds: number): Promise<{ at: number; seconds: number }> {
  const seen = (await workbench.statusHistory()).length;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const history = await workbench.statusHistory();
    for (const entry of history.slice(seen).reverse()) {
      const match = /Reconnecting in (\d+) s/.exec(entry.text);
      if (match && Number(match[1]) >= seconds) return { at: entry.at, seconds: Number(match[1]) };
    }
    await sleep(50);
  }
  throw new Error(
    `${workbench.name}: no wait of ${seconds} s or more; the status showed ${JSON.stringify((await workbench.statusHistory()).slice(-8))}`,
  );
}
