/**
 * The version lives in package.json only: the relay and the extension's client id say the one written there, and
 * no source file writes one out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frameCodec';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { ROOT } from '../helpers/paths';

const relay = relaysForThisFile();
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('the relay names itself with the version of package.json in its welcome', async () => {
  const { port } = await relay();
  const socket = connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  socket.write(encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Alice' }));
  const decoder = new FrameDecoder();
  const [data] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  const [line] = decoder.push(data);
  assert.equal(line?.kind, 'json');
  assert.equal((line as { value: { server: string } }).value.server, `classroom-relay/${version}`);
});

test('no source file writes the version out itself', () => {
  const quoted = new RegExp(`[/'"\`]${version.replace(/\./g, '\\.')}['"\`]`);
  const written = ['.'].flatMap((folder) =>
    readdirSync(join(ROOT, 'src', folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))
      .filter((file) => quoted.test(readFileSync(file, 'utf8'))),
  );
  assert.deepEqual(written, []);
});
