/**
 * Which TLS certificates the student trusted, per server, and what to do when a connect meets
 * a certificate the system does not trust. A trusted fingerprint is pinned: later connects to
 * that server accept exactly it, and a different one is refused loudly, never taken silently.
 */
import { nodesInKeyOrder, type ServerAddress } from '../../protocol/address';
import { formatFingerprint, normalizeFingerprint } from '../../client/fingerprint';
import type { RelayError } from '../../client/types';

/**
 * After a failed connect: `retry`, a certificate is trusted now, connect again; `shown`, the
 * person saw why and declined; `none`, it was not about trust.
 */
export type TrustOutcome = 'retry' | 'shown' | 'none';

/** Decides about TLS certificates the system does not trust (VS Code's: ../vscode/certificateTrust.ts). */
export interface TrustGate {
  /** The fingerprint to pin for `server`, if the person trusted one. */
  pinFor(server: ServerAddress): string | undefined;
  settle(error: RelayError, server: ServerAddress): Promise<TrustOutcome>;
}

/** host:port → the trusted SHA-256 fingerprint, as 64 lowercase hex digits. */
export type TrustStore = Readonly<Record<string, string>>;

/** The memento key the store lives under. */
export const TRUST_STORE_KEY = 'relay.trustedCertificates';

/** What the next step is after a connect failed. */
export type TrustDecision =
  /** First use of an untrusted certificate: show its fingerprint and ask. */
  | { type: 'ask'; server: string; presented: string }
  /** The server's certificate differs from the one trusted before: refuse loudly. */
  | { type: 'changed'; server: string; trusted: string; presented: string }
  /** Not a question of trust. */
  | { type: 'none' };

/**
 * host:port; for a relay of several addresses all of them (`a:1, b:2`): one pin for the relay, so
 * its nodes present one certificate (or one the system trusts).
 */
export function trustKey(address: ServerAddress): string {
  return nodesInKeyOrder(address)
    .map(({ host, port }) => {
      const lower = host.toLowerCase();
      return lower.includes(':') ? `[${lower}]:${port}` : `${lower}:${port}`;
    })
    .join(', ');
}

/** The stored value, whatever it is, as a store: entries that are not fingerprints are dropped. */
export function readTrustStore(value: unknown): TrustStore {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const store: Record<string, string> = {};
  for (const [key, fingerprint] of Object.entries(value)) {
    const normalized = typeof fingerprint === 'string' ? normalizeFingerprint(fingerprint) : undefined;
    if (normalized !== undefined) store[key] = normalized;
  }
  return store;
}

/** The fingerprint to pin when connecting to `address`, if the student trusted one. */
export function pinFor(store: TrustStore, address: ServerAddress): string | undefined {
  return address.transport === 'tls' ? store[trustKey(address)] : undefined;
}

/** The store with `fingerprint` trusted for `address` (replacing an earlier one). */
export function withTrusted(store: TrustStore, address: ServerAddress, fingerprint: string): TrustStore {
  const normalized = normalizeFingerprint(fingerprint);
  if (normalized === undefined) throw new Error(`not a SHA-256 fingerprint: ${fingerprint}`);
  return { ...store, [trustKey(address)]: normalized };
}

export function decideTrust(error: RelayError, store: TrustStore, address: ServerAddress): TrustDecision {
  const server = trustKey(address);
  const presented = error.fingerprint === undefined ? undefined : normalizeFingerprint(error.fingerprint);
  if (presented === undefined || address.transport !== 'tls') return { type: 'none' };
  const trusted = pinFor(store, address);
  if (error.code === 'tls-untrusted' && trusted === undefined)
    return { type: 'ask', server, presented: formatFingerprint(presented) };
  if (error.code === 'tls-mismatch' && trusted !== undefined && trusted !== presented) {
    return { type: 'changed', server, trusted: formatFingerprint(trusted), presented: formatFingerprint(presented) };
  }
  return { type: 'none' };
}
