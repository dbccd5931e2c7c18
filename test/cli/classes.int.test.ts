/**
 * Classes on the command line, against a real `serve --admin-key` process: `class create` (text
 * and --json), `class list` and `class end`; `send` and `chat` into a class with
 * `--server HOST:PORT/CODE`, where a student of the default class hears none of it; an unknown
 * class code from `send`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readClassCode } from '../../src/protocol/classCode';
import { FramedPeer } from '../helpers/relay/peers';
import { CLI, run, runCli, start, stopAll, type Child } from '../helpers/process/processes';

const ADMIN = 'schulhaus-admin-schluessel-7';
let serve: Child;
let port = 0;
let server = '';
const peers: FramedPeer[] = [];

before(async () => {
  serve = start(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--admin-key', ADMIN], {
    env: { RELAY_TEACHER_KEY: '', RELAY_ADMIN_KEY: '' },
  });
  await serve.waitFor('Stop with Ctrl+C.');
  port = Number(/listening on port (\d+)/.exec(serve.stdout)![1]);
  server = `127.0.0.1:${port}`;
});

after(async () => {
  for (const peer of peers) void peer.close();
  await stopAll();
});

/** The CLI with an environment of its own (the admin key or none). */
const runCliWith = (env: NodeJS.ProcessEnv, args: string[]) =>
  run(process.execPath, [CLI, ...args], '', 20_000, { RELAY_ADMIN_KEY: '', RELAY_TEACHER_KEY: '', ...env });

async function peer(name: string, options: { class?: string; teacherKey?: string } = {}): Promise<FramedPeer> {
  const connected = await FramedPeer.connect(port, name, options);
  peers.push(connected);
  return connected;
}

async function makeClass(): Promise<{ code: string; teacherKey: string; address: string }> {
  const made = await runCli(['class', 'create', '-s', server, '--admin-key', ADMIN, '--json']);
  assert.equal(made.code, 0, made.stderr);
  return JSON.parse(made.stdout) as { code: string; teacherKey: string; address: string };
}

test('class create prints the address to give the class, its code and its teacher key, once; --json for scripts', async () => {
  const text = await runCli(['class', 'create', '--server', server, '--admin-key', ADMIN]);
  assert.equal(text.code, 0, text.stderr);
  const shown = /^Class (\S+) is made\. Give the class this address .*:\n {2}(\S+)\n.*teacher key.*:\n {2}(\S+)\n/.exec(
    text.stdout,
  );
  assert.ok(shown, text.stdout);
  const [, code, address, teacherKey] = shown;
  assert.deepEqual(readClassCode(code!), { ok: true, code });
  assert.equal(address, `${server}/${code}`);
  assert.equal(text.stdout.split(teacherKey!).length - 1, 1, 'the key is printed once');
  assert.doesNotMatch(serve.stdout + serve.stderr, new RegExp(teacherKey!));

  const json = await runCliWith({ RELAY_ADMIN_KEY: ADMIN }, ['class', 'create', '-s', server, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const made = JSON.parse(json.stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(made).sort(), ['address', 'code', 'teacherKey']);
  assert.equal(made.address, `${server}/${made.code}`);
  assert.notEqual(made.code, code);
  const teacher = await peer('Frau Keller', { class: made.code, teacherKey: made.teacherKey! });
  assert.equal((await teacher.next('self')).role, 'teacher');
});

test('class create without the admin key, or with a wrong one, exits 4 and says what to give', async () => {
  const without = await runCli(['class', 'create', '-s', server]);
  assert.deepEqual(
    [without.code, without.stdout, without.stderr],
    [
      4,
      '',
      `classroom-relay: making a class needs the admin key (${server})\n` +
        'Give the admin key the relay was started with: --admin-key KEY or RELAY_ADMIN_KEY.\n',
    ],
  );
  const wrong = await runCliWith({ RELAY_ADMIN_KEY: 'falsch-falsch-falsch' }, ['class', 'create', '-s', server]);
  assert.equal(wrong.code, 4);
  assert.match(wrong.stderr, /The key came from RELAY_ADMIN_KEY; check it with whoever runs the relay\./);
  assert.doesNotMatch(wrong.stdout + wrong.stderr, /falsch-falsch/);
});

test('class list shows each class with who is online; class end ends one, and its code no longer works', async () => {
  const kept = await makeClass();
  const ending = await makeClass();
  const member = await peer('Mia', { class: ending.code });
  const listed = await runCli(['class', 'list', '-s', server, '--admin-key', ADMIN]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^code +made +last used +online\n/);
  assert.match(listed.stdout, new RegExp(`^${ending.code} +\\S.* +1$`, 'm'));
  assert.match(listed.stdout, new RegExp(`^${kept.code} +\\S.* +0$`, 'm'));
  const json = await runCli(['class', 'list', '-s', server, '--admin-key', ADMIN, '--json']);
  const classes = JSON.parse(json.stdout) as Array<{ code: string; online: number }>;
  assert.deepEqual(
    classes.filter((each) => each.code === ending.code).map((each) => each.online),
    [1],
  );

  const ended = await runCli(['class', 'end', '-s', server, '--admin-key', ADMIN, ending.code.toUpperCase()]);
  assert.deepEqual(
    [ended.code, ended.stdout],
    [0, `Class ${ending.code} ended: its members were told and disconnected, and its code no longer works.\n`],
  );
  assert.equal((await member.next('error')).code, 'class-ended');
  const send = await runCli(['send', '-s', ending.address, '-n', 'Tim', '-t', 'Mia', 'hallo']);
  assert.equal(send.code, 3);
  const again = await runCli(['class', 'end', '-s', server, '--admin-key', ADMIN, ending.code]);
  assert.equal(again.code, 4);
  assert.match(again.stderr, new RegExp(`there is no class ${ending.code}.*\nSee the classes there are with`));
  const after = await runCli(['class', 'list', '-s', server, '--admin-key', ADMIN, '--json']);
  assert.ok(!(JSON.parse(after.stdout) as Array<{ code: string }>).some((each) => each.code === ending.code));
});

test('class commands refuse what cannot be right before connecting: exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['class'], /say what to do: class create, class list or class end CODE/],
    [['class', 'make', '-s', server], /"make" is not a class command/],
    [['class', 'list', '-s', server], /class list needs the admin key: --admin-key KEY or RELAY_ADMIN_KEY/],
    [['class', 'end', '-s', server, '--admin-key', ADMIN], /class end needs the CODE of the class to end/],
    [['class', 'end', '-s', server, '--admin-key', ADMIN, '4kx-920'], /CODE: class codes have no "0"/],
    [['class', 'create'], /--server HOST:PORT is required/],
  ];
  for (const [args, reason] of cases) {
    const result = await runCli(args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, reason, args.join(' '));
  }
  const help = await runCli(['class', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: classroom-relay class create --server HOST:PORT/);
  assert.match((await runCli(['--help'])).stdout, /\n {2}class {3}make a class on a relay/);
  assert.match((await runCli(['send', '--help'])).stdout, /HOST:PORT\/CODE joins the class of that code/);
});

test('send into a class reaches its member, not the student of that name in the default class; a hint stays in the class', async () => {
  const { code, teacherKey, address } = await makeClass();
  const inClass = await peer('Anna', { class: code });
  const outside = await peer('Anna');
  const sent = await runCli(['send', '-s', address, '-n', 'Tim', '-t', 'Anna', 'in', 'der', 'Klasse']);
  assert.deepEqual([sent.code, sent.stdout], [0, 'delivered to Anna\n']);
  assert.equal((await inClass.next('message')).text, 'in der Klasse');
  const hint = await runCliWith({ RELAY_TEACHER_KEY: teacherKey }, [
    'send',
    '-s',
    address,
    '-n',
    'Frau Keller',
    '--all',
    'Tipp',
  ]);
  assert.equal(hint.code, 0, hint.stderr);
  assert.deepEqual((await inClass.next('broadcast')).text, 'Tipp');
  // What the default class's Anna got, up to a message sent to her after the class's.
  const direct = await runCli(['send', '-s', server, '-n', 'Tim', '-t', 'Anna', 'im Standard']);
  assert.equal(direct.code, 0, direct.stderr);
  assert.equal((await outside.next('message')).text, 'im Standard');
  assert.deepEqual(
    outside.frames.filter((frame) => frame.type === 'message' || frame.type === 'broadcast'),
    [],
  );
});

test('chat into a class talks with its members only, and says when the class ends', async () => {
  const { code, address } = await makeClass();
  const mia = await peer('Mia', { class: code });
  const outsideMia = await peer('Mia');
  const chat = start(process.execPath, [CLI, 'chat', '-s', address, '-n', 'Ben']);
  await chat.waitFor(`Connected to ${address} as "Ben" (relay). Online: Mia.`);
  chat.write('Mia: Hallo aus der Klasse\n');
  assert.equal((await mia.next('message')).text, 'Hallo aus der Klasse');
  mia.send({ type: 'send', id: 'm1', to: 'Ben', text: 'Hoi Ben' });
  await chat.waitFor(/\] Mia: Hoi Ben\n/);
  const ended = await runCli(['class', 'end', '-s', server, '--admin-key', ADMIN, code]);
  assert.equal(ended.code, 0, ended.stderr);
  await chat.waitFor(/! connection closed: .*class/);
  assert.equal((await chat.exited).code, 7);
  // What the default class's Mia got, up to a message sent to her after all of it.
  const direct = await runCli(['send', '-s', server, '-n', 'Tim', '-t', 'Mia', 'im Standard']);
  assert.equal(direct.code, 0, direct.stderr);
  assert.equal((await outsideMia.next('message')).text, 'im Standard');
  const heard = outsideMia.frames.filter(
    (frame) => frame.type === 'message' || (frame.type === 'presence' && frame.name === 'Ben'),
  );
  assert.deepEqual(heard, []);
  assert.ok(!outsideMia.frames.some((frame) => frame.type === 'error'), JSON.stringify(outsideMia.frames));
});

test('send to a class code the relay does not have exits 3 and names the code', async () => {
  const result = await runCli(['send', '-s', `${server}/abc-def`, '-n', 'Tim', '-t', 'Mia', 'hallo']);
  assert.equal(result.code, 3);
  assert.match(
    result.stderr,
    new RegExp(`^classroom-relay: there is no class abc-def on this relay.*\\(${server}/abc-def\\)\n`),
  );
  const malformed = await runCli(['send', '-s', `${server}/abc-de0`, '-n', 'Tim', '-t', 'Mia', 'hallo']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /--server: after the "\/" comes the class's code, but class codes have no "0"/);
});

test("roster with a class's teacher key lists that class's students only", async () => {
  const { code, teacherKey, address } = await makeClass();
  await peer('Lea', { class: code });
  await peer('Zoe');
  const result = await runCliWith({ RELAY_TEACHER_KEY: teacherKey }, ['roster', '-s', address]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^name +dialect .*\nLea +relay /);
  assert.doesNotMatch(result.stdout, /Zoe/);
  const elsewhere = await runCliWith({ RELAY_TEACHER_KEY: teacherKey }, ['roster', '-s', server]);
  assert.equal(elsewhere.code, 4, 'a class’s key makes nobody a teacher of the default class');
});
