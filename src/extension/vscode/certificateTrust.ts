/** Asks the student about a TLS certificate the system does not trust, and remembers the answer per server. */
import * as vscode from 'vscode';
import type { RelayError } from '../../client/types';
import type { ServerAddress } from '../../protocol/address';
import {
  decideTrust,
  pinFor,
  readTrustStore,
  TRUST_STORE_KEY,
  withTrusted,
  type TrustGate,
  type TrustOutcome,
} from '../connection/trust';

const t = vscode.l10n.t;

export class CertificateTrust implements TrustGate {
  constructor(private readonly memento: vscode.Memento) {}

  /** The fingerprint to pin for `server`, if the student trusted one. */
  pinFor(server: ServerAddress): string | undefined {
    return pinFor(readTrustStore(this.memento.get(TRUST_STORE_KEY)), server);
  }

  /** After a failed connect: shows an untrusted or changed certificate and lets the student trust it. */
  async settle(error: RelayError, server: ServerAddress): Promise<TrustOutcome> {
    const store = readTrustStore(this.memento.get(TRUST_STORE_KEY));
    const decision = decideTrust(error, store, server);
    let fingerprint: string;
    switch (decision.type) {
      case 'none':
        return 'none';
      case 'ask': {
        const trust = t('Trust This Certificate');
        const choice = await vscode.window.showWarningMessage(
          t('The relay {0} uses a certificate this computer does not trust.', decision.server),
          {
            modal: true,
            detail: [
              t('Its SHA-256 fingerprint is:'),
              decision.presented,
              '',
              t('Compare it with the fingerprint your teacher shows. Trust it only if they are the same.'),
            ].join('\n'),
          },
          trust,
        );
        if (choice !== trust) return 'shown';
        fingerprint = decision.presented;
        break;
      }
      case 'changed': {
        const trust = t('Trust the New Certificate');
        const choice = await vscode.window.showErrorMessage(
          t('Warning: the certificate of {0} has changed! The connection was not made.', decision.server),
          {
            modal: true,
            detail: [
              t('You trusted the SHA-256 fingerprint:'),
              decision.trusted,
              '',
              t('The relay now presents:'),
              decision.presented,
              '',
              t(
                'Someone may be intercepting the connection, or your teacher made a new certificate. Trust the new one only if your teacher shows you this fingerprint.',
              ),
            ].join('\n'),
          },
          trust,
        );
        if (choice !== trust) return 'shown';
        fingerprint = decision.presented;
        break;
      }
    }
    await this.memento.update(TRUST_STORE_KEY, withTrusted(store, server, fingerprint));
    return 'retry';
  }
}
