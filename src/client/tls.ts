/**
 * TLS to the relay's TLS listener. A certificate is accepted when the system's CAs trust it for
 * the host, or, when the user pinned a SHA-256 fingerprint, when it has exactly that
 * fingerprint (then it may be self-signed, as a teacher's usually is).
 */
import { connect, type TLSSocket } from 'node:tls';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from '../protocol/limits';
import { fingerprintsMatch, formatFingerprint } from './fingerprint';
import { describeConnectError } from './tcp';
import { RelayError } from './types';

export function connectTls(
  host: string,
  port: number,
  timeoutMs: number,
  pinned: string | undefined,
): Promise<TLSSocket> {
  const where = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    let tcpOpen = false;
    // Trust is decided below, after the handshake, so that an untrusted certificate can be shown.
    const socket = connect({ host, port, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
    const fail = (error: RelayError) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          tcpOpen
            ? new RelayError(
                'tls-failed',
                `${where} accepted the connection but did not complete a TLS handshake within ${Math.round(timeoutMs / 1000)} s; is it the relay's TLS port (${DEFAULT_TLS_PORT} by default)?`,
              )
            : new RelayError('timeout', `no answer from ${where} within ${Math.round(timeoutMs / 1000)} s`),
        ),
      timeoutMs,
    );
    socket.once('connect', () => {
      tcpOpen = true;
    });
    socket.once('secureConnect', () => {
      const raw = socket.getPeerCertificate().fingerprint256;
      if (!raw) return fail(new RelayError('tls-failed', `${where} presented no certificate`));
      const presented = formatFingerprint(raw);
      if (pinned !== undefined) {
        if (!fingerprintsMatch(pinned, presented)) {
          return fail(
            new RelayError(
              'tls-mismatch',
              `the certificate of ${where} does not match the fingerprint given: it presented the SHA-256 fingerprint ${presented}, expected ${formatFingerprint(pinned)}`,
              presented,
            ),
          );
        }
      } else if (!socket.authorized) {
        return fail(
          new RelayError(
            'tls-untrusted',
            `the certificate of ${where} is not trusted by this system (${untrustedReason(socket.authorizationError)}); it presented the SHA-256 fingerprint ${presented}`,
            presented,
          ),
        );
      }
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 15_000);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) =>
      fail(tcpOpen ? describeHandshakeError(error, where) : describeConnectError(error, host, port)),
    );
  });
}

function untrustedReason(code: Error | string | undefined): string {
  switch (typeof code === 'string' ? code : code?.message) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'it is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'it is signed by an authority this system does not know';
    case 'CERT_HAS_EXPIRED':
      return 'it has expired';
    case 'CERT_NOT_YET_VALID':
      return 'it is not valid yet';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'it was made for another host name';
    default:
      return `check failed: ${String(code)}`;
  }
}

/** The TCP connection stood, but TLS did not come about. */
function describeHandshakeError(error: NodeJS.ErrnoException, where: string): RelayError {
  if (
    /wrong version number|packet length too long|unknown protocol|record layer failure|http request/i.test(
      error.message,
    )
  ) {
    return new RelayError(
      'tls-failed',
      `${where} does not speak TLS: its answer is not a TLS handshake. Is it the relay's plain port? Connect there without tls:// (the plain port is ${DEFAULT_PORT} by default), or use the TLS port (${DEFAULT_TLS_PORT})`,
    );
  }
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    return new RelayError(
      'tls-failed',
      `${where} closed the connection during the TLS handshake; is it the relay's TLS port (${DEFAULT_TLS_PORT} by default)?`,
    );
  }
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(error.message)?.[1] ?? error.message;
  return new RelayError('tls-failed', `the TLS handshake with ${where} failed: ${reason}`);
}
