/** The classroom-relay command line: help, exit codes and the one-line reasons. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { createServer } from 'node:net';
import { coursePeer, FramedPeer, freePort, RawPeer } from '../helpers/relay/peers';
import { CLI, serveArgs, courseClient, courseServer, run, runCli, start } from '../helpers/process/processes';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const relay = relaysForThisFile();

test('every command has --help, and no command prints the overview with a usage exit code', async () => {
  for (const command of ['serve', 'send', 'chat']) {
    const result = await runCli([command, '--help']);
    assert.equal(result.code, 0, command);
    assert.match(result.stdout, new RegExp(`^Usage: classroom-relay ${command}`), command);
  }
  const overview = await runCli(['--help']);
  assert.equal(overview.code, 0);
  assert.match(overview.stdout, /Commands:\n {2}serve/);
  assert.equal((await runCli([])).code, 2);
  assert.match((await runCli(['send', '--help'])).stdout, /5 {2}unknown peer/);
});

test('usage errors exit 2 with a one-line reason and a pointer to --help', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['fly'], /unknown command "fly"/],
    [['send', '--name', 'A', '--to', 'B', 'hi'], /--server HOST:PORT is required/],
    [['send', '--server', 'localhost:abc', '--name', 'A', '--to', 'B', 'hi'], /"abc" is not a port/],
    [['send', '--server', 'localhost', '--name', 'A', 'hi'], /--to PEER or --all is required/],
    [['send', '--server', 'localhost', '--name', 'A', '--to', 'B'], /the message TEXT is missing/],
    [
      ['send', '--server', 'localhost', '--name', 'A', '--to', 'B', '--dialect', 'irc', 'x'],
      /--dialect must be one of auto, relay, course, course-lan/,
    ],
    [['chat', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--port', 'x'], /--port must be a number/],
  ];
  for (const [args, reason] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, reason, args.join(' '));
    assert.match(result.stderr, /--help" for usage\.\n$/);
  }
});

test('send exits 0 when our relay confirms delivery', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const result = await runCli([
    'send',
    '--server',
    `127.0.0.1:${port}`,
    '--name',
    'Alice',
    '--to',
    'Bob',
    'Hallo',
    'Bob',
  ]);
  assert.deepEqual([result.code, result.stdout], [0, 'delivered to Bob\n']);
  assert.equal((await bob.next('message')).text, 'Hallo Bob');
});

test('send exits 5 for an unknown peer, 4 for a taken name, 6 for a message too large', async () => {
  const { port } = await relay();
  await FramedPeer.connect(port, 'Bob');
  const server = `127.0.0.1:${port}`;
  const unknown = await runCli(['send', '-s', server, '-n', 'Alice', '-t', 'Carol', 'hi']);
  assert.deepEqual(
    [unknown.code, unknown.stderr],
    [5, 'classroom-relay: unknown peer "Carol": nobody of that name is connected\n'],
  );
  const taken = await runCli(['send', '-s', server, '-n', 'bob', '-t', 'Carol', 'hi']);
  assert.deepEqual([taken.code, taken.stderr], [4, `classroom-relay: the name "bob" is already taken (${server})\n`]);
  const big = await runCli(['send', '-s', server, '-n', 'Alice', '-t', 'Bob', 'x'.repeat(20_000)]);
  assert.equal(big.code, 6);
  assert.match(
    big.stderr,
    /^classroom-relay: rejected \(too-large\): the text has 20000 bytes; at most 16384 are allowed\n$/,
  );
});

test('send exits 3 when nothing listens, naming the address', async () => {
  const port = await freePort();
  const result = await runCli(['send', '-s', `127.0.0.1:${port}`, '-n', 'Alice', '-t', 'Bob', 'hi']);
  assert.equal(result.code, 3);
  assert.equal(
    result.stderr,
    `classroom-relay: connection to 127.0.0.1:${port} refused: no relay is listening there (127.0.0.1:${port})\n`,
  );
});

test('send against the course server exits 0 when sent and 5 on its German "not found"', async () => {
  const { port } = await courseServer('course_server.py');
  const bob = await coursePeer(port, 'Bob');
  const sent = await runCli(['send', '-s', `127.0.0.1:${port}`, '-n', 'Alice', '-t', 'Bob', 'Grüezi']);
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stdout, /^sent to Bob \(a course server cannot confirm delivery/);
  await bob.waitFor('Alice: Grüezi');
  const unknown = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '-n',
    'Alice2',
    '-t',
    'Niemand',
    'hallo',
    '--dialect',
    'course',
  ]);
  assert.equal(unknown.code, 5);
});

test('send exits 7 when the relay registers but never acknowledges', async () => {
  // A relay that welcomes and then stays silent: the acknowledgement never comes.
  const server = createServer((socket) =>
    socket.once('data', () =>
      socket.write(
        `${JSON.stringify({
          type: 'welcome',
          version: 1,
          name: 'Alice',
          online: [],
          limits: { frameBytes: 65536, textBytes: 16384, snippetBytes: 49152, nameLength: 32 },
          server: 'mute',
        })}\n`,
      ),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const result = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '-n',
    'Alice',
    '-t',
    'Bob',
    '--dialect',
    'relay',
    '--timeout',
    '0.5',
    'hi',
  ]);
  server.close();
  assert.deepEqual([result.code, result.stderr], [7, 'classroom-relay: no acknowledgement from the relay in time\n']);
});

test('send with --dialect course-lan addresses by IP', async () => {
  const { port } = await courseServer('course_lan_server.py');
  const result = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '--dialect',
    'course-lan',
    '-t',
    '10.1.2.3',
    'hallo',
  ]);
  assert.equal(result.code, 5);
  assert.match(result.stderr, /unknown peer "10\.1\.2\.3"/);
});

test('chat sends "Peer: text" lines, prints what arrives, and reports failures', async () => {
  const { port } = await relay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const chat = start(process.execPath, [CLI, 'chat', '-s', `127.0.0.1:${port}`, '-n', 'Alice']);
  await chat.waitFor(/Connected to 127\.0\.0\.1:\d+ as "Alice" \(relay\)\. Online: Bob\./);
  chat.write('Bob: Hallo über die Kommandozeile\n');
  assert.equal((await bob.next('message')).text, 'Hallo über die Kommandozeile');
  bob.send({ type: 'send', id: '1', to: 'Alice', text: 'Antwort' });
  await chat.waitFor(/\[\d\d:\d\d\] Bob: Antwort/);
  chat.write('Carol: bist du da?\n');
  await chat.waitFor('! Carol: unknown peer "Carol"');
  chat.write('ohne Empfänger\n');
  await chat.waitFor('! write "Peer: text"');
  chat.write('/who\n');
  await chat.waitFor('Online: Bob');
  chat.process.stdin.end();
  assert.equal((await chat.exited).code, 0);
});

test('serve prints where students connect, logs joins, and stops cleanly on SIGTERM and SIGINT', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const port = await freePort();
    const serve = start(process.execPath, serveArgs(port));
    await serve.waitFor(`Classroom Relay is listening on port ${port}. Students connect to:\n  127.0.0.1:${port}`);
    const alice = await coursePeer(port, 'Alice');
    await serve.waitFor(/join +Alice — course client from 127\.0\.0\.1/);
    serve.process.kill(signal);
    assert.deepEqual(await serve.exited, { code: 0, signal: null });
    assert.match(serve.stdout, / stopped +server/);
    await alice.waitClosed();
  }
});

test('serve takes its limits from flags: --max-per-address and --rate-burst are what a course client meets', async () => {
  const port = await freePort();
  const serve = start(process.execPath, serveArgs(port, '--max-per-address', '2', '--rate-burst', '2', '--rate', '2'));
  try {
    await serve.waitFor(`Classroom Relay is listening on port ${port}.`);
    const alice = await coursePeer(port, 'Alice', true);
    const bob = await coursePeer(port, 'Bob', true);
    // Both registered before the third comes: a connection still without its name would make room for it.
    bob.write('Alice:hallo\n');
    await alice.waitFor('Bob: hallo');
    const third = await RawPeer.connect(port);
    third.write('Carol\n');
    await third.waitFor('Fehler: Der Relay-Server hat gerade zu viele Verbindungen. Bitte später neu verbinden.');
    await third.waitClosed();
    alice.write('Bob:eins\nBob:zwei\nBob:drei\n');
    await bob.waitFor('Alice: eins\nAlice: zwei\n');
    await alice.waitFor(/^Fehler: Zu viele Nachrichten\. Diese wurde nicht weitergeleitet; warte \d+ s/m);
    assert.doesNotMatch(bob.text, /drei/);
  } finally {
    serve.process.kill('SIGTERM');
    await serve.exited;
  }
});

test('serve exits 3 with a clear reason when the port is taken', async () => {
  const { port } = await relay();
  const result = await runCli(['serve', '--host', '127.0.0.1', '--port', String(port)]);
  assert.equal(result.code, 3);
  assert.match(result.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is already in use`));
});

test('chat talks with the Python course client through the Python course server', async () => {
  const { port } = await courseServer('course_server.py');
  const bob = await courseClient(port, 'Bob');
  const chat = start(process.execPath, [CLI, 'chat', '-s', `127.0.0.1:${port}`, '-n', 'Alice']);
  await chat.waitFor(/as "Alice" \(course\)/);
  chat.write('Bob: Hallo vom Terminal\n');
  await bob.waitFor('Alice: Hallo vom Terminal');
  bob.write('Alice\nHallo zurück\n');
  await chat.waitFor(/\[\d\d:\d\d\] Bob: Hallo zurück/);
  chat.process.stdin.end();
  assert.equal((await chat.exited).code, 0);
});

test('the CLI remembers what a server speaks: the second send to a course server skips the probe, and a damaged memory is reported and replaced', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'relay-dialects-'));
  const env = { RELAY_DIALECT_CACHE: join(folder, 'dialects.json') };
  const dialectCache = () =>
    JSON.parse(readFileSync(env.RELAY_DIALECT_CACHE, 'utf8')) as Record<string, { dialect: string } | undefined>;
  try {
    const { child, port } = await courseServer('course_server.py');
    const bob = start('python3', [
      '-c',
      'import socket,time;s=socket.create_connection(("127.0.0.1",' + port + '));s.send(b"Bob");time.sleep(30)',
    ]);
    await child.waitFor("'Bob' verbunden");
    const send = (text: string) =>
      run(
        process.execPath,
        [CLI, 'send', '-s', `127.0.0.1:${port}`, '-n', 'Alice', '-t', 'Bob', text],
        undefined,
        20_000,
        env,
      );
    assert.equal((await send('eins')).code, 0);
    // The course server takes the probe for a name, and prints it when it connects.
    const probes = () =>
      child.stdout.split('\n').filter((line) => line.startsWith('\'{"type":"ping"') && line.includes(' verbunden von '))
        .length;
    assert.equal(probes(), 1, 'the first send probed the server');
    assert.deepEqual(
      Object.values(dialectCache()).map((entry) => entry?.dialect),
      ['course'],
    );
    assert.equal((await send('zwei')).code, 0);
    assert.equal(probes(), 1, 'the second send did not');
    writeFileSync(env.RELAY_DIALECT_CACHE, '{kaputt');
    const third = await send('drei');
    assert.equal(third.code, 0);
    assert.match(third.stderr, /ignoring the damaged dialect cache .*dialects\.json/);
    assert.equal(dialectCache()[`127.0.0.1:${port}`]?.dialect, 'course');
    bob.process.kill();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the dialect probe carries no teacher key: a course server never sees it, while our relay still makes the CLI a teacher', async () => {
  const key = 'geheim-tafel-kreide-7';
  const { child, port } = await courseServer('course_server.py');
  const bob = start('python3', [
    '-c',
    'import socket,time;s=socket.create_connection(("127.0.0.1",' + port + '));s.send(b"Bob");time.sleep(30)',
  ]);
  await child.waitFor("'Bob' verbunden");
  const toCourse = await run(
    process.execPath,
    [CLI, 'send', '-s', `127.0.0.1:${port}`, '-n', 'Alice', '-t', 'Bob', '--teacher-key', key, 'Hallo'],
    undefined,
    20_000,
  );
  assert.equal(toCourse.code, 0, toCourse.stderr);
  assert.ok(!child.stdout.includes(key), child.stdout);
  bob.process.kill();
  const { port: relayPort } = await relay({ teacherKey: key });
  const course = await coursePeer(relayPort, 'Carol', true);
  const hint = await run(
    process.execPath,
    [CLI, 'send', '-s', `127.0.0.1:${relayPort}`, '-n', 'Frau Keller', '--all', '--teacher-key', key, 'Tipp'],
    undefined,
    20_000,
  );
  assert.equal(hint.code, 0, hint.stderr);
  await course.waitFor('Frau Keller (Lehrperson, an alle): Tipp\n');
});
