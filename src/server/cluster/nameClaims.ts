/**
 * The names this node claimed in the engine for its members: claimed atomically, written again
 * before they age out, and given up when their holder leaves, only as this node wrote them, never
 * a claim another node took over since (it took this node for dead).
 */
import type { KV } from '@nats-io/kv';
import type { ClaimResult, MemberEntry } from '../routing/clusterLink';
import { errorText, isConflict, json } from './engineCalls';
import { readMemberEntry } from './engineReads';

/** Who holds a name: a node, for a registration of a framed client. */
export interface Holder {
  node: string;
  registration: string;
}

interface Claim {
  value: Uint8Array;
  /** 0 while claiming: its own write may be heard back before the engine confirmed it. */
  revision: number;
}

export class NameClaims {
  private readonly claimed = new Map<string, Claim>();

  constructor(
    private readonly names: KV,
    private readonly node: string,
    private readonly alive: (node: string) => boolean,
    private readonly log: (text: string) => void,
  ) {}

  /** Whether this node claimed (or is claiming) the bucket key. */
  holds(entryKey: string): boolean {
    return this.claimed.has(entryKey);
  }

  /** Another node wrote a key this node claimed, after this node did: the claim is that node's now. */
  writtenElsewhere(entryKey: string, revision: number): void {
    const claim = this.claimed.get(entryKey);
    if (claim && claim.revision > 0 && revision > claim.revision) this.claimed.delete(entryKey);
  }

  giveUpAll(): Promise<void>[] {
    return [...this.claimed.keys()].map((entryKey) => this.giveUp(entryKey));
  }

  /**
   * Claims a name for a member here; `from`: the member resumes that node's registration, and takes
   * the name over from it, dead or alive (the resume token proved it is that member), as long as
   * the name is still that registration's.
   */
  async claim(entryKey: string, entry: MemberEntry, from?: Holder): Promise<ClaimResult> {
    const value = json(entry);
    const claim = { value, revision: 0 };
    this.claimed.set(entryKey, claim);
    const result = await this.claimEntry(entryKey, entry, value, from);
    if (result.type === 'claimed') claim.revision = result.revision;
    else if (this.claimed.get(entryKey) === claim) {
      this.claimed.delete(entryKey);
      // A claim that timed out may have been written all the same: this node's own is taken back.
      if (result.type === 'unavailable') void this.takeBack(entryKey, entry);
    }
    return result.type === 'claimed' ? { type: 'claimed' } : result;
  }

  private async takeBack(entryKey: string, entry: MemberEntry): Promise<void> {
    const current = await this.names.get(entryKey).catch(() => null);
    const written = current?.operation === 'PUT' ? readMemberEntry(current.value) : undefined;
    if (current && written?.node === this.node && written.connectedAt === entry.connectedAt)
      await this.names.delete(entryKey, { previousSeq: current.revision }).catch(() => undefined);
  }

  /** Deletes this node's claim, only as this node wrote it. */
  giveUp(entryKey: string, claim = this.claimed.get(entryKey)): Promise<void> {
    return claim?.revision ? this.names.delete(entryKey, { previousSeq: claim.revision }) : Promise.resolve();
  }

  /** Live claims written again before they age out of the bucket. */
  refresh(): void {
    for (const [entryKey, claim] of this.claimed)
      if (claim.revision > 0)
        this.names.update(entryKey, claim.value, claim.revision).then(
          (revision) => (claim.revision = revision),
          (error: unknown) => this.log(`could not renew the name ${entryKey}: ${errorText(error)}`),
        );
  }

  private async claimEntry(
    entryKey: string,
    entry: MemberEntry,
    value: Uint8Array,
    from: Holder | undefined,
  ): Promise<Exclude<ClaimResult, { type: 'claimed' }> | { type: 'claimed'; revision: number }> {
    try {
      return { type: 'claimed', revision: await this.names.create(entryKey, value) };
    } catch (error) {
      if (!isConflict(error)) return { type: 'unavailable', detail: errorText(error) };
    }
    try {
      const current = await this.names.get(entryKey);
      if (!current || current.operation !== 'PUT')
        return { type: 'claimed', revision: await this.names.create(entryKey, value) };
      const holder = readMemberEntry(current.value);
      // A claim of a dead node, of this node before it restarted, of the node whose registration the member
      // resumes, or unreadable: taken over, if nobody was faster.
      const resumed = from !== undefined && holder?.node === from.node && holder.registration === from.registration;
      const kept = !resumed && this.alive(holder?.node ?? '');
      if (holder && holder.node !== this.node && kept) return { type: 'taken', holder: holder.name };
      return { type: 'claimed', revision: await this.names.update(entryKey, value, current.revision) };
    } catch (error) {
      if (isConflict(error)) return { type: 'taken', holder: entry.name };
      return { type: 'unavailable', detail: errorText(error) };
    }
  }

  release(entryKey: string): void {
    const claim = this.claimed.get(entryKey);
    if (!claim) return;
    this.claimed.delete(entryKey);
    this.giveUp(entryKey, claim).catch((error: unknown) => {
      if (!isConflict(error)) this.log(`could not give up the name ${entryKey}: ${errorText(error)}; it ages out`);
    });
  }
}
