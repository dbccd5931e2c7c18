/**
 * What a cloned repository and a classmate cannot do to a student: a workspace's settings do
 * not choose the relay, the name or auto-connect, and a snippet tells classmates nothing about
 * where its file lies on this computer. A real relay over real TCP.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shareablePath, snippetFromSelection } from '../../../src/extension/chat/snippets';
import { framedPeersForThisFile, relaysForThisFile } from '../../helpers/relay/cleanup';
import { ROOT } from '../../helpers/paths';
import { hostsForThisFile } from '../../helpers/extension/parts';

const relay = relaysForThisFile();
const host = hostsForThisFile(after);
const framed = framedPeersForThisFile();

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
};

test("the settings that choose the relay, the name, auto-connect and the hosted port are application-scoped: a workspace's .vscode/settings.json cannot set them", () => {
  const properties = manifest.contributes.configuration.properties;
  const scopes = Object.fromEntries(
    Object.entries(properties).map(([key, property]) => [key, property.scope ?? 'window']),
  );
  assert.deepEqual(scopes, {
    'relay.server': 'application',
    'relay.name': 'application',
    'relay.dialect': 'window',
    'relay.autoConnect': 'application',
    'relay.notifications': 'window',
    'relay.historySize': 'window',
    'relay.traceWire': 'window',
    'relay.hostPort': 'application',
  });
});

test('a snippet names a file by its path in the workspace, and any other file by its name only', () => {
  const cases: Array<[string, string]> = [
    ['src/greet.py', 'src/greet.py'],
    ['src\\net\\client.py', 'src/net/client.py'],
    ['./aufgabe3.py', 'aufgabe3.py'],
    ['/home/alice/Abgabe/loesung.py', 'loesung.py'],
    ['C:\\Users\\alice\\Desktop\\loesung.py', 'loesung.py'],
    ['c:/Users/alice/loesung.py', 'loesung.py'],
    ['\\\\fileserver\\klasse\\alice\\loesung.py', 'loesung.py'],
    ['~/kurs/loesung.py', 'loesung.py'],
    ['../../alice/geheim/loesung.py', 'loesung.py'],
    ['vscode-remote://ssh-remote+pc/home/alice/loesung.py', 'loesung.py'],
  ];
  for (const [path, shared] of cases) assert.equal(shareablePath(path), shared, path);
  const snippet = snippetFromSelection({
    text: 'x = 1',
    languageId: 'python',
    path: '/home/alice/Abgabe/loesung.py',
    startLine: 4,
    endLine: 4,
  });
  assert.equal(snippet.file, 'loesung.py');
  assert.equal(
    snippetFromSelection({ text: 'x = 1', languageId: 'python', path: '/', startLine: 1, endLine: 1 }).file,
    undefined,
    'no name, no file',
  );
});

test('Send Selection from a file outside the workspace sends its name only, never the folders above it', async () => {
  const { port } = await relay();
  const bob = await framed(port, 'Bob');
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.editors.current = {
    text: 'print("geheim")\n',
    languageId: 'python',
    path: '/home/alice/Dokumente/Abgabe/loesung.py',
    startLine: 1,
    endLine: 2,
  };
  alice.person.answer('peer', 'Bob');
  await alice.parts.snippets.sendSelection();
  const frame = await bob.next('snippet');
  assert.deepEqual(frame.snippet, {
    code: 'print("geheim")',
    language: 'python',
    file: 'loesung.py',
    lines: { start: 1, end: 1 },
  });
  const sent = alice.parts.session.items.at(-1);
  assert.equal(
    sent?.content.kind === 'snippet' && sent.content.snippet.file,
    'loesung.py',
    'and the own copy says the same',
  );
});

test('Message Peer to a name with link syntax asks for the message without a link in its prompt', async () => {
  const { port } = await relay();
  const alice = host();
  await alice.connect(port, 'Alice');
  alice.person.answer('peer', '[Lösung](command:workbench.action.openSettings)').answer('text', undefined);
  await alice.parts.send.messagePeer();
  const asked = alice.person.asked.find((question) => question.kind === 'text');
  assert.deepEqual(asked?.args.slice(0, 2), [
    'Message to [Lösung](command:workbench.action.openSettings)',
    'Your message to [Lösung] (command:workbench.action.openSettings)',
  ]);
});
