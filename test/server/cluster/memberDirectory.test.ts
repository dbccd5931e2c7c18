/**
 * What a node shows of the other nodes' members: only those of nodes known to live, never its
 * own, and every change said once as a member leaving or joining.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemberDirectory, type DirectoryChanges } from '../../../src/server/cluster/memberDirectory';
import type { MemberEntry } from '../../../src/server/routing/clusterLink';

const SELF = 'node-a';

function member(node: string, name: string, connectedAt = 1000): MemberEntry {
  return { node, name, dialect: 'relay', role: 'student', address: '10.0.0.9', remote: '10.0.0.9:4000', connectedAt };
}

/** The changes as `room/key@node` lines, so a test states them at a glance. */
function said(changes: DirectoryChanges): { left: string[]; joined: string[] } {
  const line = ({ room, key, entry }: DirectoryChanges['left'][number]) => `${room}/${key}@${entry.node}`;
  return { left: changes.left.map(line), joined: changes.joined.map(line) };
}

const NOTHING = { left: [], joined: [] };

test('a member of a node not yet known to live is kept but not shown, and joins once the node lives', () => {
  const directory = new MemberDirectory(SELF);
  assert.deepEqual(said(directory.put('', 'zoe', member('node-b', 'Zoe'))), NOTHING);
  assert.deepEqual(directory.members(''), []);
  assert.equal(directory.alive('node-b'), false);

  assert.deepEqual(said(directory.setLive(['node-b'])), { left: [], joined: ['/zoe@node-b'] });
  assert.deepEqual(
    directory.members('').map(([key]) => key),
    ['zoe'],
  );
  assert.equal(directory.alive('node-b'), true);
});

test('a member written while its node lives joins at once', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b']);
  assert.deepEqual(said(directory.put('4kx-92m', 'zoe', member('node-b', 'Zoe'))), {
    left: [],
    joined: ['4kx-92m/zoe@node-b'],
  });
  assert.deepEqual(directory.members(''), [], 'another room shows nothing of it');
});

test('a node that stops living takes its members with it, and brings them back when it lives again', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b', 'node-c']);
  directory.put('', 'zoe', member('node-b', 'Zoe'));
  directory.put('', 'carl', member('node-c', 'Carl'));

  assert.deepEqual(said(directory.setLive(['node-c'])), { left: ['/zoe@node-b'], joined: [] });
  assert.deepEqual(
    directory.members('').map(([key]) => key),
    ['carl'],
  );
  assert.deepEqual(said(directory.setLive(['node-c'])), NOTHING, 'the same live nodes change nothing');
  assert.deepEqual(said(directory.setLive(['node-b', 'node-c'])), { left: [], joined: ['/zoe@node-b'] });
});

test('a member written again under the same key by another node replaces the first: left, then joined', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b', 'node-c']);
  directory.put('', 'zoe', member('node-b', 'Zoe'));
  const changes = directory.put('', 'zoe', member('node-c', 'Zoe', 2000));
  assert.deepEqual(said(changes), { left: ['/zoe@node-b'], joined: ['/zoe@node-c'] });
  assert.deepEqual(
    directory.members('').map(([, entry]) => entry.node),
    ['node-c'],
  );
});

test('the same entry written twice is said once', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b']);
  directory.put('', 'zoe', member('node-b', 'Zoe'));
  assert.deepEqual(said(directory.put('', 'zoe', member('node-b', 'Zoe'))), NOTHING);
});

test("this node's own entries are never shown, and one that takes over a key makes the other's member leave", () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive([SELF, 'node-b']);
  assert.deepEqual(said(directory.put('', 'mia', member(SELF, 'Mia'))), NOTHING);
  assert.deepEqual(directory.members(''), []);
  assert.equal(directory.alive(SELF), true);

  directory.put('', 'zoe', member('node-b', 'Zoe'));
  assert.deepEqual(said(directory.put('', 'zoe', member(SELF, 'Zoe'))), { left: ['/zoe@node-b'], joined: [] });
  assert.deepEqual(directory.members(''), []);
  assert.deepEqual(said(directory.setLive([])), NOTHING, 'nothing of the taken-over member is kept');
});

test('a deleted entry leaves if it was shown, and says nothing if it was not', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b']);
  directory.put('', 'zoe', member('node-b', 'Zoe'));
  directory.put('', 'carl', member('node-x', 'Carl'));
  assert.deepEqual(said(directory.remove('', 'zoe')), { left: ['/zoe@node-b'], joined: [] });
  assert.deepEqual(said(directory.remove('', 'carl')), NOTHING);
  assert.deepEqual(said(directory.remove('', 'nobody')), NOTHING);
  assert.deepEqual(said(directory.setLive(['node-b', 'node-x'])), NOTHING, 'deleted entries never come back');
});

test('clear() lets every shown member leave and forgets which nodes live', () => {
  const directory = new MemberDirectory(SELF);
  directory.setLive(['node-b']);
  directory.put('', 'zoe', member('node-b', 'Zoe'));
  directory.put('4kx-92m', 'anna', member('node-b', 'Anna'));
  directory.put('', 'carl', member('node-x', 'Carl'));

  const changes = said(directory.clear());
  assert.deepEqual(changes.left.sort(), ['/zoe@node-b', '4kx-92m/anna@node-b']);
  assert.deepEqual(changes.joined, []);
  assert.equal(directory.alive('node-b'), false);
  assert.deepEqual(directory.members(''), []);
  assert.deepEqual(said(directory.setLive(['node-b', 'node-x'])), NOTHING, 'cleared entries are not kept');
});
