/** A member's entry as another node wrote it: read as untrusted bytes, checked field by field. */
import { MAX_NAME_LENGTH } from '../../protocol/limits';
import type { MemberEntry } from '../routing/clusterLink';
import { NODE_ID } from './clusterKeys';

const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

export function readMemberEntry(bytes: Uint8Array): MemberEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Record<string, unknown>;
  if (!text(entry.node, 64) || !NODE_ID.test(entry.node)) return undefined;
  if (!text(entry.name, MAX_NAME_LENGTH * 4) || entry.name === '') return undefined;
  if (entry.dialect !== 'relay' && entry.dialect !== 'course') return undefined;
  if (entry.role !== 'teacher' && entry.role !== 'student') return undefined;
  if (!text(entry.address, 100) || !text(entry.remote, 120)) return undefined;
  if (typeof entry.connectedAt !== 'number' || !Number.isFinite(entry.connectedAt)) return undefined;
  return {
    node: entry.node,
    name: entry.name,
    dialect: entry.dialect,
    role: entry.role,
    address: entry.address,
    remote: entry.remote,
    connectedAt: entry.connectedAt,
  };
}
