/**
 * A server's address as people write it (`host:port`, `tls://host:port`, either with `/CODE` after
 * it to name a class of the relay): read, checked and written back.
 */
import { readClassCode } from './classCode';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from './limits';

/** `tcp`: the plain relay (and the course's servers); `tls`: the relay's TLS listener. */
export type Transport = 'tcp' | 'tls';

export interface ServerAddress {
  transport: Transport;
  host: string;
  port: number;
  /**
   * The class of the relay this address names, as formatClassCode writes it (`4kx-92m`);
   * absent: the relay's default class, the one the course's clients join.
   */
  classCode?: string;
}

export type AddressCheck = { ok: true; address: ServerAddress } | { ok: false; detail: string };

/**
 * Reads `host:port`, `host` (course port), `[v6]:port`, and any of these after `tls://` (port 12346
 * when left out), each with `/CODE` after it for a class of the relay (`127.0.0.1:12345/4kx-92m`).
 */
export function parseServerAddress(input: string): AddressCheck {
  const text = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const slash = text.indexOf('/', scheme.length);
  const server = parseHostPort(slash === -1 ? text : text.slice(0, slash));
  if (!server.ok || slash === -1) return server;
  const code = readClassCode(text.slice(slash + 1));
  if (!code.ok) return { ok: false, detail: `after the "/" comes the class's code, but ${code.detail}` };
  return { ok: true, address: { ...server.address, classCode: code.code } };
}

function parseHostPort(input: string): AddressCheck {
  let text = input;
  if (text === '')
    return { ok: false, detail: 'the server address is empty; write it as host:port, e.g. 192.168.0.10:12345' };
  let transport: Transport = 'tcp';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name !== 'tls' && name !== 'tcp')
      return {
        ok: false,
        detail: `"${scheme[0]}" is not understood; write tls://host:port for TLS, or host:port without it`,
      };
    transport = name;
    text = text.slice(scheme[0].length);
  }
  const defaultPort = transport === 'tls' ? DEFAULT_TLS_PORT : DEFAULT_PORT;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (!IPV6.test(host)) return { ok: false, detail: `"${host}" is not an IPv6 address` };
  } else if ((text.match(/:/g) ?? []).length > 1) {
    // A bare IPv6 address; anything else with several colons is a mistake.
    if (!IPV6.test(text)) return { ok: false, detail: `"${text}" is not an address: write host:port, or [IPv6]:port` };
    return { ok: true, address: { transport, host: text, port: defaultPort } };
  } else {
    const colon = text.lastIndexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
  }
  if (host === '' || (!bracketed && !HOST_NAME.test(host)))
    return { ok: false, detail: `"${host}" is not a host name or IP address` };
  if (portText === undefined) return { ok: true, address: { transport, host, port: defaultPort } };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
    return {
      ok: false,
      detail: `"${portText}" is not a port; use a number from 1 to 65535 (the course uses ${DEFAULT_PORT}, the relay's TLS port is ${DEFAULT_TLS_PORT})`,
    };
  }
  return { ok: true, address: { transport, host, port } };
}

/** Letters, digits, dots, hyphens and underscores (host names, IDN names, IPv4 addresses). */
const HOST_NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}])?$/u;
/** Hex groups and colons, an IPv4 tail, a zone after %. */
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}(?:%[\w.-]{1,32})?$/;

/** The inverse of parseServerAddress: `host:port`, `[v6]:port`, or either after `tls://`; then `/CODE` for a class. */
export function formatServerAddress(address: ServerAddress): string {
  const hostPort = address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const server = address.transport === 'tls' ? `tls://${hostPort}` : hostPort;
  return address.classCode === undefined ? server : `${server}/${address.classCode}`;
}

/** The relay itself, whatever class the address names: where class requests go. */
export function relayOf(address: ServerAddress): ServerAddress {
  return { transport: address.transport, host: address.host, port: address.port };
}
