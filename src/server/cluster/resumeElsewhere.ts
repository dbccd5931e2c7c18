/**
 * A client resumes on this node a registration another node held (dead, or out of the client's
 * reach): found in the engine by its token's digest; its name's claim taken over from that node,
 * unless the name went to somebody else meanwhile; that node, if it lives, asked to hand the
 * registration over (it lets its own connection of the client go and says how far it numbered);
 * then what the registration kept is read. Its messages' ids count as delivered here, so a sender
 * that resends what it had no ack for (the other node died first) is not delivered twice.
 */
import type { MemberEntry, RemoteResume } from '../routing/clusterLink';
import type { Resume } from '../../protocol/frames';
import type { DeliveredIds } from './deliveredIds';
import { deliveredId } from './deliveredIds';
import type { NameClaims } from './nameClaims';
import type { KeptForResume, ResumeStore } from './resumeStore';
import { errorText } from './engineCalls';
import { nameEntryKey } from './clusterKeys';

export interface ResumeParts {
  node: string;
  resumes: Pick<ResumeStore, 'find' | 'read'>;
  claims: Pick<NameClaims, 'claim'>;
  delivered: Pick<DeliveredIds, 'remember'>;
  alive(node: string): boolean;
  handOff(node: string, request: { room: string; key: string; id: string }): Promise<number | undefined>;
  log(text: string): void;
}

export async function resumeElsewhere(
  parts: ResumeParts,
  room: string,
  key: string,
  resume: Resume,
  entry: Omit<MemberEntry, 'node'>,
): Promise<RemoteResume> {
  const entryKey = nameEntryKey(room, key);
  const record = await parts.resumes.find(entryKey, resume.token).catch(() => null);
  if (record === null) return { type: 'unavailable', detail: 'the registrations of the other nodes cannot be read' };
  if (!record || record.node === parts.node) return { type: 'unknown' };
  const holder = { node: record.node, registration: record.id };
  const claim = await parts.claims.claim(entryKey, { ...entry, registration: record.id, node: parts.node }, holder);
  if (claim.type !== 'claimed') return claim;
  // The name is this node's now: whatever fails from here, the registration goes on here.
  const handed = parts.alive(record.node) ? await parts.handOff(record.node, { room, key, id: record.id }) : undefined;
  let kept: KeptForResume;
  try {
    kept = await parts.resumes.read(record.id, resume.lastSeq, handed);
  } catch (error) {
    parts.log(`what node ${record.node} kept for a resume could not be read: ${errorText(error)}`);
    kept = { missed: [], delivered: [], nextSeq: Math.max(handed ?? 1, resume.lastSeq + 1) };
  }
  for (const envelope of kept.delivered)
    // A teacher's hint is not a message between two: its resend must reach those who missed it.
    if (envelope.type !== 'broadcast' && envelope.id !== undefined)
      parts.delivered.remember(deliveredId(room, envelope.from, envelope.id), { status: 'delivered' });
  return {
    type: 'resumed',
    adopted: { id: record.id, nextSeq: kept.nextSeq, teacher: record.teacher },
    missed: kept.missed,
  };
}
