/**
 * A relay of several nodes (its addresses written `A, B`): a session opens on the first node that
 * answers, each tried in turn, so a node that is down costs one failed connect, never a wait.
 */
import { formatNode, type RelayNode } from '../protocol/address';
import type { OpenOptions } from './connect';
import { RelayError, type RelaySession } from './types';

/** The relay's other nodes, beside the one in `host`, `port` and `transport` (ServerAddress's `alternates`). */
export interface NodeOptions {
  alternates?: readonly RelayNode[];
}

/**
 * Failures that no other node and no retry can mend: the relay (every node of it) refused the
 * name, the version, the teacher key or the class, or the person has to decide about a certificate.
 */
export const PERMANENT: ReadonlySet<string> = new Set([
  'name-invalid',
  'name-reserved',
  'unsupported-version',
  'tls-untrusted',
  'tls-mismatch',
  'teacher-key-invalid',
  // The class's code no longer works (or never did): asking again cannot bring it back.
  'unknown-class',
  'class-ended',
]);

/** Every node of the relay the options name, the first address first. */
function nodesOfOptions(options: Pick<OpenOptions, 'host' | 'port' | 'transport'> & NodeOptions): RelayNode[] {
  const first: RelayNode = { transport: options.transport ?? 'tcp', host: options.host, port: options.port };
  return [first, ...(options.alternates ?? []).map(({ transport, host, port }) => ({ transport, host, port }))];
}

export interface Round {
  nodes: readonly RelayNode[];
  /** The node tried first (the one that worked last); the others follow in order, wrapping around. */
  start: number;
  open(node: RelayNode): Promise<RelaySession>;
  /** Asked after each failure: true ends the round there (the connection was stopped meanwhile). */
  abandoned?(): boolean;
}

/**
 * Tries each node once, from `start` on, and resolves with the first session and its node's index.
 * A failure in PERMANENT ends the round with it; when every node failed, the error says what each
 * one did (one address: its error as it is).
 */
export async function openOnSomeNode(round: Round): Promise<{ session: RelaySession; index: number }> {
  const { nodes } = round;
  const failures: { node: RelayNode; error: RelayError }[] = [];
  for (let step = 0; step < nodes.length; step++) {
    const index = (round.start + step) % nodes.length;
    const node = nodes[index]!;
    try {
      return { session: await round.open(node), index };
    } catch (error) {
      const relayError = error instanceof RelayError ? error : new RelayError('closed', (error as Error).message);
      if (PERMANENT.has(relayError.code) || round.abandoned?.()) throw relayError;
      failures.push({ node, error: relayError });
    }
  }
  if (failures.length === 1) throw failures[0]!.error;
  const last = failures[failures.length - 1]!.error;
  const each = failures.map(({ node, error }) => `${formatNode(node)}: ${error.message}`).join('; ');
  throw new RelayError(last.code, `no node of the relay answered: ${each}`, last.fingerprint);
}

/** The nodes of one relay, and where the next round through them starts. */
export class NodeRounds {
  readonly nodes: readonly RelayNode[];
  /** The node that worked last, or the one after a node that dropped or began a round in which every node failed. */
  private start = 0;
  /** The node of the last session opened. */
  opened: RelayNode | undefined;

  constructor(options: Pick<OpenOptions, 'host' | 'port' | 'transport'> & NodeOptions) {
    this.nodes = nodesOfOptions(options);
  }

  get several(): boolean {
    return this.nodes.length > 1;
  }

  /**
   * One round; the node that answers is where the next one starts, and when none does, the node after
   * the one this round began with. A single node opens with `options` as they are.
   */
  async open(
    options: OpenOptions & NodeOptions,
    open: (options: OpenOptions) => Promise<RelaySession>,
    abandoned: () => boolean,
  ): Promise<RelaySession> {
    const { session, index } = await openOnSomeNode({
      nodes: this.nodes,
      start: this.start,
      open: (node) => open(this.several ? onNode(options, node) : options),
      abandoned,
    }).catch((error: unknown) => {
      // The node this round began with failed first: the next round begins after it, not with it again.
      this.dropped();
      throw error;
    });
    this.start = index;
    this.opened = this.nodes[index];
    return session;
  }

  /** The session on the node that worked last dropped: that node is likely down, so it comes last in the next round. */
  dropped(): void {
    this.start = (this.start + 1) % this.nodes.length;
  }
}

/** The options that open a session on `node` (OpenOptions name one node; alternates stay out). */
export function onNode(options: OpenOptions & NodeOptions, node: RelayNode): OpenOptions {
  const opened: OpenOptions & NodeOptions = { ...options, host: node.host, port: node.port, transport: node.transport };
  delete opened.alternates;
  return opened;
}
