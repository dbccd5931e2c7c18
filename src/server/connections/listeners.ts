/**
 * The relay's listeners: plain TCP (the course's port) and, beside it or instead of it, TLS.
 * Every accepted socket goes to the relay at once, a TLS one still in its handshake, so the
 * relay counts and limits it from the TCP accept on; a TLSSocket is a net.Socket, and its
 * `data` events bring the decrypted bytes once the handshake is done.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { DEFAULT_TLS_PORT } from '../../protocol/limits';
import { RELAY_DEFAULTS } from '../policy/defaults';
import type { RelayLog } from '../log';

export interface TlsListenerOptions {
  /** PEM certificate (chain) and its private key, unencrypted. */
  cert: string | Buffer;
  key: string | Buffer;
  /** Default 12346. */
  port?: number;
  /** A connection that has not completed its handshake this long after the TCP accept is closed. */
  handshakeTimeoutMs?: number;
}

export interface ListenerOptions {
  host: string;
  port: number;
  /** false: no plain listener (TLS only). */
  plain: boolean;
  tls: TlsListenerOptions | undefined;
}

/** Where the relay listens: the plain listener's address (or the TLS one's when there is no plain one), and each. */
export interface RelayAddresses extends AddressInfo {
  plain?: AddressInfo;
  tls?: AddressInfo & { fingerprint: string };
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = RELAY_DEFAULTS.tlsHandshakeTimeoutMs.value;

/**
 * Connections the system may hold for the relay before it accepts them (Linux caps it at
 * net.core.somaxconn, 4,096 by default). Node's 511 overflowed when thousands of clients connect
 * at once, a class after a restart or a load test: a SYN dropped is tried again only after 1 s,
 * then 3 s, so 5,000 course clients took 5 s to get in though the relay needed 0.8 s of work.
 */
export const LISTEN_BACKLOG = 8192;

export interface TlsIdentity {
  context: SecureContext;
  /** SHA-256 of the certificate, AB:CD:… as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
}

/** Checks a certificate and key before any socket opens, and words what is wrong with them. */
export function loadTlsIdentity(
  cert: string | Buffer,
  key: string | Buffer,
): { ok: true; identity: TlsIdentity } | { ok: false; detail: string } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    return {
      ok: false,
      detail: 'the certificate is not a PEM certificate (it should start with "-----BEGIN CERTIFICATE-----")',
    };
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      detail:
        code === 'ERR_MISSING_PASSPHRASE'
          ? 'the private key is protected by a passphrase; the relay needs it without one (openssl req: -nodes)'
          : 'the private key is not a PEM private key (it should start with "-----BEGIN PRIVATE KEY-----")',
    };
  }
  if (!certificate.checkPrivateKey(privateKey))
    return { ok: false, detail: 'the private key does not belong to the certificate' };
  try {
    return {
      ok: true,
      identity: {
        context: createSecureContext({ cert, key, minVersion: 'TLSv1.2' }),
        fingerprint: certificate.fingerprint256,
      },
    };
  } catch (error) {
    return { ok: false, detail: `the certificate and key cannot be used for TLS: ${(error as Error).message}` };
  }
}

export class RelayListeners {
  private readonly servers: Server[] = [];
  private listening: Promise<RelayAddresses> | undefined;

  constructor(
    private readonly options: ListenerOptions,
    private readonly accept: (socket: Socket) => void,
    private readonly log: RelayLog,
  ) {}

  listen(): Promise<RelayAddresses> {
    this.listening ??= this.open();
    return this.listening;
  }

  /** Stops accepting; the relay closes the connections it was given. */
  async close(): Promise<void> {
    await this.listening?.catch(() => undefined);
    await this.closeServers();
  }

  private closeServers(): Promise<void> {
    return Promise.all(
      this.servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    ).then(() => undefined);
  }

  private async open(): Promise<RelayAddresses> {
    const { host, plain, tls } = this.options;
    if (!plain && !tls) throw new Error('the relay needs a plain or a TLS listener');
    const identity = tls ? loadTlsIdentity(tls.cert, tls.key) : undefined;
    if (identity && !identity.ok) throw new Error(`TLS: ${identity.detail}`);
    const addresses: { plain?: AddressInfo; tls?: AddressInfo & { fingerprint: string } } = {};
    try {
      if (plain) {
        addresses.plain = await this.start(
          createServer((socket) => this.accept(socket)),
          this.options.port,
          host,
        );
        this.log.write('listening', `${addresses.plain.address}:${addresses.plain.port}`);
      }
      if (tls && identity?.ok) {
        const timeoutMs = tls.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
        const server = createServer((socket) =>
          this.acceptTls(socket, identity.identity.context, timeoutMs, addresses.plain?.port),
        );
        const address = await this.start(server, tls.port ?? DEFAULT_TLS_PORT, host);
        addresses.tls = { ...address, fingerprint: identity.identity.fingerprint };
        this.log.write(
          'listening',
          `${address.address}:${address.port}`,
          `TLS, certificate SHA-256 ${identity.identity.fingerprint}`,
        );
      }
    } catch (error) {
      await this.closeServers();
      throw error;
    }
    const primary = (addresses.plain ?? addresses.tls)!;
    return { address: primary.address, family: primary.family, port: primary.port, ...addresses };
  }

  private start(server: Server, port: number, host: string): Promise<AddressInfo> {
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      server.once('error', onError);
      server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
        server.off('error', onError);
        server.on('error', (error) => this.log.write('error', 'server', error.message));
        resolve(server.address() as AddressInfo);
      });
    });
  }

  private acceptTls(raw: Socket, context: SecureContext, timeoutMs: number, plainPort: number | undefined): void {
    raw.on('error', () => {}); // the TLS socket on top of it reports the connection's errors
    const socket = new TLSSocket(raw, { isServer: true, secureContext: context });
    let secure = false;
    const deadline = setTimeout(
      () => socket.destroy(new Error(`no TLS handshake within ${formatSeconds(timeoutMs)}; connection closed`)),
      timeoutMs,
    );
    socket.once('secure', () => {
      secure = true;
      clearTimeout(deadline);
    });
    socket.once('close', () => clearTimeout(deadline));
    // Registered before the relay's own listener, which logs the message once: OpenSSL's text becomes words.
    socket.on('error', (error: Error) => {
      if (!secure) error.message = handshakeProblem(error, plainPort);
    });
    this.accept(socket);
  }
}

function handshakeProblem(error: Error, plainPort: number | undefined): string {
  if (/^no TLS handshake within/.test(error.message)) return error.message;
  if (
    /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i.test(
      error.message,
    )
  ) {
    const hint = plainPort === undefined ? '' : `; clients without TLS connect to port ${plainPort}`;
    return `not a TLS handshake: a client without TLS on the TLS port${hint}`;
  }
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(error.message)?.[1];
  return `TLS handshake failed: ${reason ?? error.message}`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
