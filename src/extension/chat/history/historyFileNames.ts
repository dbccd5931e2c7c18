/** What names a history: its key (a server and a name) and the name of its file. */
import { createHash } from 'node:crypto';
import { nodesInKeyOrder, type ServerAddress } from '../../../protocol/address';
import { nameKey } from '../../../protocol/nameSkeleton';

/** Where VS Code's global state kept histories before they moved into files. */
export const LEGACY_PREFIX = 'relay.history/';
export const FILE_PATTERN = /^chat-[0-9a-f]{32}\.jsonl$/;

/**
 * Where globalState kept a history before; also what names a history file. A class's history is
 * its own (host:port/CODE/name; names have no slash), the default class's keeps its old key.
 */
export function historyKey(server: ServerAddress, name: string): string {
  const room = server.classCode === undefined ? '' : `${server.classCode}/`;
  // A relay of several addresses keeps one history, whichever node the connection is on and however they are ordered.
  const nodes = nodesInKeyOrder(server)
    .map((node) => `${node.host}:${node.port}`)
    .join(',');
  return `${LEGACY_PREFIX}${nodes}/${room}${nameKey(name)}`;
}

export function historyFileName(key: string): string {
  return `chat-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.jsonl`;
}
