/**
 * A relay joining the other relay nodes (serve --nats): the engine's client is loaded only here,
 * and only then. A node that cannot reach the others takes nobody and lets its clients go, so that
 * they connect to another node, instead of accepting messages it cannot deliver.
 */
import type { Rooms } from './classes/rooms';
import { letAllGo, type Connection } from './connections/relayConnection';
import { courseText } from './sessions/courseText';
import type { ClusterOptions } from './cluster/natsLink';
import type { RelayPolicy } from './policy/policy';
import type { RelayLog } from './log';
import { ClusterJoinFailed, type ClusterLink } from './routing/clusterLink';

export async function joinRelayNodes(
  options: ClusterOptions,
  rooms: Rooms,
  log: RelayLog,
  connections: Iterable<Connection>,
  policy: Pick<RelayPolicy, 'resume' | 'relayWide'>,
): Promise<ClusterLink> {
  const { joinCluster } = await import('./cluster/natsLink');
  let cluster: ClusterLink;
  try {
    cluster = await joinCluster(
      options,
      {
        availability: (available, detail) => {
          if (available) log.write('cluster', options.node, `the other relay nodes are reachable again: ${detail}`);
          else {
            log.write(
              'cluster',
              options.node,
              `the other relay nodes cannot be reached (${detail}): clients are let go`,
            );
            const why = 'this relay node lost its cluster; connect to another node';
            letAllGo(connections, ['node-unavailable', why], courseText.nodeUnavailable(), 'node unavailable');
          }
        },
        log: (detail) => log.write('cluster', options.node, detail),
      },
      // The engine keeps what every node keeps for a resume, and as long.
      { ...policy.resume, totalBytes: policy.relayWide.resumeBytes },
    );
  } catch (error) {
    throw new ClusterJoinFailed(options.servers, error);
  }
  log.write('cluster', options.node, `joined the relay nodes through ${options.servers.join(', ')}`);
  rooms.useCluster(cluster);
  return cluster;
}
