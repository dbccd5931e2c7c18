/**
 * A resume of another node's registration, as this node goes about it (cluster/resumeElsewhere.ts):
 * the record found by the token, the name taken over only as that registration's, a live node asked
 * to hand it over first, what it kept read up to the number it gave, and the ids of what it
 * delivered remembered. The engine's parts are stand-ins here; relay nodes against nats-server
 * resume clients in nodeFailover.int.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeElsewhere, type ResumeParts } from '../../../src/server/cluster/resumeElsewhere';
import type { ResumeRecord } from '../../../src/server/cluster/engineReads';
import type { KeptForResume } from '../../../src/server/cluster/resumeStore';
import type { ClaimResult, MemberEntry } from '../../../src/server/routing/clusterLink';
import type { Holder } from '../../../src/server/cluster/nameClaims';
import type { Envelope } from '../../../src/server/routing/peer';

const RECORD: ResumeRecord = { node: 'node-a', id: 'registration-of-anna', digest: '0'.repeat(64), teacher: false };
const ENTRY: Omit<MemberEntry, 'node'> = {
  name: 'Anna',
  dialect: 'relay',
  role: 'student',
  address: '10.0.0.9',
  remote: '10.0.0.9:50000',
  connectedAt: 1,
};
const message = (id: string, seq: number): Envelope => ({ type: 'message', from: 'Ben', text: id, at: 'now', id, seq });

interface Calls {
  claims: Array<{ entry: MemberEntry; from: Holder | undefined }>;
  handoffs: string[];
  reads: Array<{ lastSeq: number; handed: number | undefined }>;
  delivered: string[];
  logged: string[];
}

function parts(options: {
  record?: ResumeRecord | undefined | Error;
  claim?: ClaimResult;
  alive?: boolean;
  handed?: number;
  kept?: KeptForResume | Error;
}): { parts: ResumeParts; calls: Calls } {
  const calls: Calls = { claims: [], handoffs: [], reads: [], delivered: [], logged: [] };
  const record = 'record' in options ? options.record : RECORD;
  return {
    calls,
    parts: {
      node: 'node-b',
      resumes: {
        find: async () => {
          if (record instanceof Error) throw record;
          return record;
        },
        read: async (_id, lastSeq, handed) => {
          calls.reads.push({ lastSeq, handed });
          const kept = options.kept ?? { missed: [], delivered: [], nextSeq: lastSeq + 1 };
          if (kept instanceof Error) throw kept;
          return kept;
        },
      },
      claims: {
        claim: async (_entryKey, entry, from) => {
          calls.claims.push({ entry, from });
          return options.claim ?? { type: 'claimed' };
        },
      },
      delivered: { remember: (id) => void calls.delivered.push(id.replaceAll('\u0000', '/')) },
      alive: () => options.alive ?? false,
      handOff: async (node, request) => {
        calls.handoffs.push(`${node}:${request.key}:${request.id}`);
        return options.handed;
      },
      log: (text) => void calls.logged.push(text),
    },
  };
}

test("a live node is asked to hand its registration over once the name is taken as that registration's, and what it kept is read up to its number", async () => {
  const missed = [message('m2', 2)];
  const { parts: live, calls } = parts({
    alive: true,
    handed: 3,
    kept: { missed, delivered: [message('m1', 1), ...missed], nextSeq: 3 },
  });
  const result = await resumeElsewhere(live, '', 'anna', { token: 't', lastSeq: 1 }, ENTRY);
  assert.deepEqual(result, {
    type: 'resumed',
    adopted: { id: RECORD.id, nextSeq: 3, teacher: false },
    missed,
  });
  assert.deepEqual(calls.claims, [
    {
      entry: { ...ENTRY, registration: RECORD.id, node: 'node-b' },
      from: { node: 'node-a', registration: RECORD.id },
    },
  ]);
  assert.deepEqual(calls.handoffs, [`node-a:anna:${RECORD.id}`]);
  assert.deepEqual(calls.reads, [{ lastSeq: 1, handed: 3 }]);
  assert.deepEqual(calls.delivered, ['/Ben/m1', '/Ben/m2']);
});

test('a dead node is not asked; a hint it delivered is not remembered as delivered, so its resend reaches those who missed it', async () => {
  const hint: Envelope = { type: 'broadcast', from: 'Frau Keller', text: 'Pause', at: 'now', id: 'h1', seq: 1 };
  const { parts: dead, calls } = parts({ kept: { missed: [], delivered: [hint], nextSeq: 2 } });
  const result = await resumeElsewhere(dead, '', 'anna', { token: 't', lastSeq: 1 }, ENTRY);
  assert.equal(result.type, 'resumed');
  assert.deepEqual(calls.handoffs, []);
  assert.deepEqual(calls.reads, [{ lastSeq: 1, handed: undefined }]);
  assert.deepEqual(calls.delivered, []);
});

test('what cannot be read once the name was taken over still resumes: numbered past what the client and the old node counted', async () => {
  const { parts: failing, calls } = parts({ alive: true, handed: 9, kept: new Error('stream gone') });
  const result = await resumeElsewhere(failing, '', 'anna', { token: 't', lastSeq: 4 }, ENTRY);
  assert.deepEqual(result, { type: 'resumed', adopted: { id: RECORD.id, nextSeq: 9, teacher: false }, missed: [] });
  assert.match(calls.logged.join('\n'), /node-a kept for a resume could not be read: stream gone/);
});

test('no record, one of this node, an engine out of reach, or a name held by another: no resume, and nothing read', async () => {
  const none = parts({ record: undefined });
  assert.deepEqual(await resumeElsewhere(none.parts, '', 'anna', { token: 't', lastSeq: 0 }, ENTRY), {
    type: 'unknown',
  });
  const own = parts({ record: { ...RECORD, node: 'node-b' } });
  assert.deepEqual(await resumeElsewhere(own.parts, '', 'anna', { token: 't', lastSeq: 0 }, ENTRY), {
    type: 'unknown',
  });
  const unreachable = parts({ record: new Error('timeout') });
  assert.equal(
    (await resumeElsewhere(unreachable.parts, '', 'anna', { token: 't', lastSeq: 0 }, ENTRY)).type,
    'unavailable',
  );
  const taken = parts({ claim: { type: 'taken', holder: 'Anna' }, alive: true });
  assert.deepEqual(await resumeElsewhere(taken.parts, '', 'anna', { token: 't', lastSeq: 0 }, ENTRY), {
    type: 'taken',
    holder: 'Anna',
  });
  for (const { calls } of [none, own, unreachable, taken]) {
    assert.deepEqual(calls.reads, []);
    assert.deepEqual(calls.handoffs, []);
  }
});
