/**
 * Message ids this node handed to its members on behalf of another node, with how each fared: a
 * message resent through another node after its first one died (its sender never saw the ack) is
 * answered from here and not delivered twice. Bounded by count; the oldest go first.
 */
import type { RemoteDelivery } from '../routing/clusterLink';

/** The memory's key of message `id` from `from` in a room. */
export function deliveredId(room: string, from: string, id: string): string {
  return `${room}\u0000${from}\u0000${id}`;
}

export class DeliveredIds {
  private readonly outcomes = new Map<string, RemoteDelivery>();

  constructor(private readonly capacity: number) {}

  get(id: string): RemoteDelivery | undefined {
    return this.outcomes.get(id);
  }

  remember(id: string, outcome: RemoteDelivery): void {
    this.outcomes.delete(id);
    this.outcomes.set(id, outcome);
    if (this.outcomes.size > this.capacity) this.outcomes.delete(this.outcomes.keys().next().value!);
  }
}
