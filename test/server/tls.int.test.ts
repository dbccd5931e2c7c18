/** TLS: the relay's TLS listener beside the plain one, the client's trust decisions, and the CLI's flags. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { coursePeer, FramedPeer, freePort, RawPeer } from '../helpers/relay/peers';
import { CLI, serveArgs, run, runCli, start } from '../helpers/process/processes';
import { record } from '../helpers/time/wait';
import { openSession, type OpenOptions } from '../../src/client/connect';
import { RelayError, type RelaySession, type SessionEvent } from '../../src/client/types';
import { fingerprintsMatch, normalizeFingerprint } from '../../src/client/fingerprint';
import { formatServerAddress, parseServerAddress, type ServerAddress } from '../../src/protocol/address';
import { pinFor, readTrustStore, withTrusted } from '../../src/extension/connection/trust';
import { hostsForThisFile } from '../helpers/extension/parts';
import { makeTlsFiles } from '../helpers/tls/selfSigned';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const made = makeTlsFiles();
after(() => made.remove());
const dir = dirname(made.cert);
const files = { cert: made.cert, key: made.key, otherKey: join(dir, 'other-key.pem') };
/** As `openssl x509 -noout -fingerprint -sha256` prints it: AB:CD:… */
let fingerprint = '';

async function openssl(args: string[]): Promise<string> {
  const result = await run('openssl', args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

before(async () => {
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', files.otherKey]);
  fingerprint = /Fingerprint=([0-9A-F:]+)/i.exec(
    await openssl(['x509', '-noout', '-fingerprint', '-sha256', '-in', files.cert]),
  )![1]!;
  assert.match(fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
});

/** A relay with its plain listener and a TLS listener, both on free ports. */
async function tlsRelay(tls: { handshakeTimeoutMs?: number } = {}) {
  const started = await relay({
    tls: { cert: readFileSync(files.cert), key: readFileSync(files.key), port: 0, ...tls },
  });
  const addresses = await started.relay.listen();
  return { ...started, tlsPort: addresses.tls!.port, presented: addresses.tls!.fingerprint };
}

async function openFails(options: OpenOptions): Promise<RelayError> {
  try {
    const session = await openSession(options);
    session.close();
  } catch (error) {
    assert.ok(error instanceof RelayError, String(error));
    return error;
  }
  assert.fail('the session opened');
}

function nextEvent(session: RelaySession) {
  const { events, waiters } = record<SessionEvent>((listener) => session.onEvent(listener));
  return <T extends SessionEvent['type']>(type: T) =>
    waiters.until(
      () => events.find((event) => event.type === type) as Extract<SessionEvent, { type: T }> | undefined,
      () => `a ${type} event; got ${JSON.stringify(events)}`,
      5000,
    );
}

test('tls:// addresses parse with port 12346 by default and format back; plain addresses stay plain', () => {
  for (const text of ['tls://relay.local:4000', 'tls://[::1]:12346', '10.0.0.5:12345', '[fe80::1]:4000']) {
    const check = parseServerAddress(text);
    assert.ok(check.ok, text);
    assert.equal(formatServerAddress(check.address), text);
  }
  assert.deepEqual(parseServerAddress('TLS://10.0.0.5'), {
    ok: true,
    address: { transport: 'tls', host: '10.0.0.5', port: 12346 },
  });
  assert.deepEqual(parseServerAddress('10.0.0.5'), {
    ok: true,
    address: { transport: 'tcp', host: '10.0.0.5', port: 12345 },
  });
  assert.deepEqual(parseServerAddress('tcp://10.0.0.5:80'), {
    ok: true,
    address: { transport: 'tcp', host: '10.0.0.5', port: 80 },
  });
  assert.match(
    (parseServerAddress('https://10.0.0.5') as { detail: string }).detail,
    /"https:\/\/" is not understood; write tls:\/\/host:port/,
  );
});

test('fingerprints compare regardless of letter case, separators and the openssl label', () => {
  const bare = fingerprint.replace(/:/g, '').toLowerCase();
  assert.equal(normalizeFingerprint(`sha256 Fingerprint=${fingerprint}`), bare);
  assert.equal(normalizeFingerprint(fingerprint.replace(/:/g, ' ')), bare);
  assert.ok(fingerprintsMatch(bare, fingerprint));
  // The last hex digit changed, whatever it was: another certificate's fingerprint.
  const last = fingerprint.at(-1)!.toLowerCase();
  assert.ok(!fingerprintsMatch(bare, `${fingerprint.slice(0, -1)}${last === '0' ? '1' : '0'}`));
  assert.equal(normalizeFingerprint('AB:CD'), undefined);
  assert.ok(!fingerprintsMatch('not one', fingerprint));
});

test('a framed client over TLS, pinned by fingerprint, chats with a plain netcat-style course client through the same relay', async () => {
  const { port, tlsPort, presented } = await tlsRelay();
  assert.equal(presented, fingerprint);
  const bob = await coursePeer(port, 'Bob', true);
  const alice = await openSession({
    host: '127.0.0.1',
    port: tlsPort,
    transport: 'tls',
    fingerprint: fingerprint.toLowerCase(),
    name: 'Alice',
  });
  try {
    assert.equal(alice.dialect, 'relay', 'dialect detection finds our relay over TLS');
    assert.deepEqual(alice.online, ['Bob']);
    const next = nextEvent(alice);
    assert.deepEqual(await alice.send('Bob', 'Grüezi über TLS'), { status: 'delivered' });
    await bob.waitFor('Alice: Grüezi über TLS\n');
    bob.write('Alice:Hallo zurück\n');
    const message = await next('message');
    assert.deepEqual([message.from, message.text], ['Bob', 'Hallo zurück']);
  } finally {
    alice.close();
    bob.close();
  }
});

test('a self-signed certificate without a pinned fingerprint is refused with the fingerprint it presented; a wrong pin does not match', async () => {
  const { tlsPort } = await tlsRelay();
  const untrusted = await openFails({ host: '127.0.0.1', port: tlsPort, transport: 'tls', name: 'Alice' });
  assert.equal(untrusted.code, 'tls-untrusted');
  assert.equal(untrusted.fingerprint, fingerprint);
  assert.match(
    untrusted.message,
    /is not trusted by this system \(it is self-signed\); it presented the SHA-256 fingerprint [0-9A-F:]{95}$/,
  );
  const wrong = await openFails({
    host: '127.0.0.1',
    port: tlsPort,
    transport: 'tls',
    fingerprint: '00'.repeat(32),
    name: 'Alice',
  });
  assert.equal(wrong.code, 'tls-mismatch');
  assert.equal(wrong.fingerprint, fingerprint);
  assert.match(wrong.message, /does not match the fingerprint given/);
});

test('send over tls:// exits 0 with --fingerprint, and 3 without it or with a wrong one, saying why', async () => {
  const { port, tlsPort } = await tlsRelay();
  const bob = await FramedPeer.connect(port, 'Bob');
  const server = `tls://127.0.0.1:${tlsPort}`;
  const pinned = await runCli([
    'send',
    '-s',
    server,
    '--fingerprint',
    fingerprint.replace(/:/g, '').toLowerCase(),
    '-n',
    'Alice',
    '-t',
    'Bob',
    'über',
    'TLS',
  ]);
  assert.deepEqual([pinned.code, pinned.stdout, pinned.stderr], [0, 'delivered to Bob\n', '']);
  assert.equal((await bob.next('message')).text, 'über TLS');

  const unpinned = await runCli(['send', '-s', server, '-n', 'Alice', '-t', 'Bob', 'hi']);
  assert.equal(unpinned.code, 3);
  assert.equal(
    unpinned.stderr,
    `classroom-relay: the certificate of 127.0.0.1:${tlsPort} is not trusted by this system (it is self-signed); it presented the SHA-256 fingerprint ${fingerprint} (${server})\n` +
      `Compare this fingerprint with the one the teacher's "classroom-relay serve" printed. If they are the same, connect again with --fingerprint ${fingerprint}\n`,
  );

  const wrong = await runCli([
    'send',
    '-s',
    server,
    '--fingerprint',
    `sha256 Fingerprint=${'AB:'.repeat(31)}AB`,
    '-n',
    'Alice',
    '-t',
    'Bob',
    'hi',
  ]);
  assert.equal(wrong.code, 3);
  assert.match(
    wrong.stderr,
    new RegExp(
      `does not match the fingerprint given: it presented the SHA-256 fingerprint ${fingerprint}, expected ${'AB:'.repeat(31)}AB`,
    ),
  );
  assert.match(wrong.stderr, /Someone may be intercepting the connection/);

  const usage = await runCli([
    'send',
    '-s',
    `127.0.0.1:${port}`,
    '--fingerprint',
    fingerprint,
    '-n',
    'Alice',
    '-t',
    'Bob',
    'hi',
  ]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--fingerprint pins a TLS certificate: write the server as tls:\/\/HOST:PORT/);
  assert.equal(
    bob.frames.filter((frame) => frame.type === 'message').length,
    0,
    'nothing but the pinned message arrived',
  );
});

test('a certificate the system trusts needs no fingerprint', async () => {
  const { port, tlsPort } = await tlsRelay();
  const bob = await FramedPeer.connect(port, 'Bob');
  // The test certificate is its own CA; NODE_EXTRA_CA_CERTS adds it to what this client's system trusts.
  const send = start(
    process.execPath,
    [CLI, 'send', '-s', `tls://127.0.0.1:${tlsPort}`, '-n', 'Alice', '-t', 'Bob', 'vertraut'],
    { env: { NODE_EXTRA_CA_CERTS: files.cert } },
  );
  const { code } = await send.exited;
  assert.equal(code, 0, send.stderr);
  assert.equal((await bob.next('message')).text, 'vertraut');
});

test('a client without TLS on the TLS port and a TLS client on the plain port each get a clear error, and the relay stays up', async () => {
  const { port, tlsPort, logs, relay: server } = await tlsRelay();
  const netcat = await RawPeer.connect(tlsPort);
  netcat.write('Alice\nBob:Hallo\n');
  await netcat.waitClosed();
  const logged = logs.filter((line) => line.includes('not a TLS handshake'));
  assert.equal(logged.length, 1, logs.join('\n'));
  assert.match(
    logged[0]!,
    new RegExp(
      `error +127\\.0\\.0\\.1:\\d+ — not a TLS handshake: a client without TLS on the TLS port; clients without TLS connect to port ${port}$`,
    ),
  );

  const plainOnTls = await openFails({ host: '127.0.0.1', port: tlsPort, name: 'Alice' });
  assert.equal(plainOnTls.code, 'closed');
  assert.match(plainOnTls.message, new RegExp(`if this is one, connect to tls://127\\.0\\.0\\.1:${tlsPort}\\)$`));

  const tlsOnPlain = await openFails({ host: '127.0.0.1', port, transport: 'tls', fingerprint, name: 'Alice' });
  assert.equal(tlsOnPlain.code, 'tls-failed');
  assert.match(
    tlsOnPlain.message,
    new RegExp(
      `^127\\.0\\.0\\.1:${port} does not speak TLS: its answer is not a TLS handshake\\. Is it the relay's plain port\\?`,
    ),
  );

  const carol = await FramedPeer.connect(port, 'Carol');
  const dave = await openSession({ host: '127.0.0.1', port: tlsPort, transport: 'tls', fingerprint, name: 'Dave' });
  assert.deepEqual(await dave.send('Carol', 'noch da'), { status: 'delivered' });
  assert.equal((await carol.next('message')).text, 'noch da');
  assert.deepEqual(server.online.sort(), ['Carol', 'Dave']);
  dave.close();
});

test('a TCP connection to the TLS port that never starts the handshake is closed by the relay, and counts as a connection meanwhile', async () => {
  const { tlsPort, logs, relay: server } = await tlsRelay({ handshakeTimeoutMs: 300 });
  const silent = await RawPeer.connect(tlsPort);
  await silent.waitClosed();
  assert.equal(silent.bytes.length, 0);
  assert.equal(
    logs.filter((line) => /error +127\.0\.0\.1:\d+ — no TLS handshake within 0\.3 s; connection closed$/.test(line))
      .length,
    1,
    logs.join('\n'),
  );

  // The relay holds a connection in its handshake like any other: it is open when the relay stops, and closed with it.
  const waiting = await RawPeer.connect(tlsPort);
  await server.close();
  await waiting.waitClosed();
  assert.ok(
    logs.some((line) => / stopping +server — 1 connection\(s\) open/.test(line)),
    logs.join('\n'),
  );
});

test('serve prints the certificate fingerprint that openssl prints, and the tls:// address students use', async () => {
  const [port, tlsPort] = [await freePort(), await freePort()];
  const serve = start(
    process.execPath,
    serveArgs(port, '--tls-cert', files.cert, '--tls-key', files.key, '--tls-port', String(tlsPort)),
  );
  await serve.waitFor('Stop with Ctrl+C.');
  assert.match(
    serve.stdout,
    new RegExp(`Classroom Relay is listening on port ${port}\\. Students connect to:\\n  127\\.0\\.0\\.1:${port} `),
  );
  assert.match(
    serve.stdout,
    new RegExp(`With TLS, on port ${tlsPort}:\\n  tls://127\\.0\\.0\\.1:${tlsPort} +\\(this address\\)\\n`),
  );
  assert.match(
    serve.stdout,
    new RegExp(
      `The certificate's SHA-256 fingerprint, for students to compare with what their client shows:\\n  ${fingerprint}\\n`,
    ),
  );
  const send = await runCli([
    'send',
    '-s',
    `tls://127.0.0.1:${tlsPort}`,
    '--fingerprint',
    fingerprint,
    '-n',
    'Alice',
    '-t',
    'Niemand',
    'hi',
  ]);
  assert.equal(send.code, 5, send.stderr);
  serve.process.kill('SIGTERM');
  assert.deepEqual(await serve.exited, { code: 0, signal: null });
});

test('serve --no-plain leaves only the TLS listener', async () => {
  const [port, tlsPort] = [await freePort(), await freePort()];
  const serve = start(
    process.execPath,
    serveArgs(port, '--tls-cert', files.cert, '--tls-key', files.key, '--tls-port', String(tlsPort), '--no-plain'),
  );
  await serve.waitFor('Stop with Ctrl+C.');
  assert.match(
    serve.stdout,
    new RegExp(
      `^Classroom Relay is listening with TLS only, on port ${tlsPort}\\. Students connect to:\\n  tls://127\\.0\\.0\\.1:${tlsPort} `,
      'm',
    ),
  );
  assert.doesNotMatch(serve.stdout, new RegExp(`:${port}\\b`));
  const plain = await openFails({ host: '127.0.0.1', port, name: 'Alice' });
  assert.equal(plain.code, 'refused');
  const session = await openSession({ host: '127.0.0.1', port: tlsPort, transport: 'tls', fingerprint, name: 'Alice' });
  assert.equal(session.dialect, 'relay');
  session.close();
  serve.process.kill('SIGTERM');
  assert.deepEqual(await serve.exited, { code: 0, signal: null });
});

test('serve explains unreadable or mismatched certificate files and a TLS port in use, and exits non-zero', async () => {
  const port = await freePort();
  const missing = await runCli([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--tls-cert',
    join(dir, 'nope.pem'),
    '--tls-key',
    files.key,
  ]);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    `classroom-relay: cannot read the TLS certificate file ${join(dir, 'nope.pem')}: there is no such file\n`,
  );
  const mismatched = await runCli([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--tls-cert',
    files.cert,
    '--tls-key',
    files.otherKey,
  ]);
  assert.equal(mismatched.code, 1);
  assert.match(mismatched.stderr, /: the private key does not belong to the certificate\n$/);
  const swapped = await runCli([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--tls-cert',
    files.key,
    '--tls-key',
    files.cert,
  ]);
  assert.equal(swapped.code, 1);
  assert.match(swapped.stderr, /the certificate is not a PEM certificate/);
  const halfDone = await runCli(['serve', '--tls-cert', files.cert]);
  assert.equal(halfDone.code, 2);
  assert.match(halfDone.stderr, /TLS needs both --tls-cert FILE and --tls-key FILE/);
  const noTls = await runCli(['serve', '--no-plain']);
  assert.equal(noTls.code, 2);
  assert.match(noTls.stderr, /--no-plain leaves only the TLS listener, which needs --tls-cert FILE and --tls-key FILE/);
  const samePort = await runCli([
    'serve',
    '--port',
    '4000',
    '--tls-port',
    '4000',
    '--tls-cert',
    files.cert,
    '--tls-key',
    files.key,
  ]);
  assert.equal(samePort.code, 2);
  assert.match(samePort.stderr, /--tls-port must differ from --port/);

  const { port: taken } = await relay();
  const inUse = await runCli([
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--tls-cert',
    files.cert,
    '--tls-key',
    files.key,
    '--tls-port',
    String(taken),
  ]);
  assert.equal(inUse.code, 3);
  assert.match(inUse.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${taken}: port ${taken} is already in use`));
  // The plain listener that had opened is closed again: its port is free.
  const again = start(process.execPath, serveArgs(port));
  await again.waitFor(`listening on port ${port}`);
  await again.stop();
});

test('the extension connects over TLS with the certificate the person trusted before, asking nothing; without it, it asks', async () => {
  const { tlsPort } = await tlsRelay();
  const server: ServerAddress = { transport: 'tls', host: '127.0.0.1', port: tlsPort };
  const asked: string[] = [];
  let store = readTrustStore(undefined);
  const trust = {
    pinFor: (address: ServerAddress) => pinFor(store, address),
    settle: async (error: RelayError) => (asked.push(error.code), 'none' as const),
  };

  const first = host({ trust, connectionOptions: { backoff: { initialMs: 60_000, maxMs: 60_000 } } });
  first.person.answer('server', server).answer('name', 'Alice');
  await first.parts.lifecycle.connect();
  await first.until(() => asked[0], 'the question about the certificate');
  assert.equal(first.parts.lifecycle.state.kind === 'connected', false);
  first.parts.lifecycle.disconnect();

  store = withTrusted(store, server, normalizeFingerprint(fingerprint)!);
  asked.length = 0;
  const again = host({ trust });
  again.person.answer('server', server).answer('name', 'Alice');
  await again.parts.lifecycle.connect();
  await again.until(() => again.parts.lifecycle.state.kind === 'connected' || undefined, 'connected over TLS');
  assert.deepEqual(asked, [], 'nothing asked');
});
