import { DEFAULT_PORT } from './limits';

export interface ServerAddress { host: string; port: number }

export type AddressCheck = { ok: true; address: ServerAddress } | { ok: false; detail: string };

/** Reads `host:port`, `host` (course port), or `[v6]:port`. */
export function parseServerAddress(input: string): AddressCheck {
  const text = input.trim();
  if (text === '') return { ok: false, detail: 'the server address is empty; write it as host:port, e.g. 192.168.0.10:12345' };
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length > 1) {
    return { ok: true, address: { host: text, port: DEFAULT_PORT } }; // a bare IPv6 address
  } else {
    const colon = text.lastIndexOf(':');
    host = colon === -1 ? text : text.slice(0, colon);
    portText = colon === -1 ? undefined : text.slice(colon + 1);
  }
  if (host === '' || /[\s/]/.test(host)) return { ok: false, detail: `"${host}" is not a host name or IP address` };
  if (portText === undefined) return { ok: true, address: { host, port: DEFAULT_PORT } };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, detail: `"${portText}" is not a port; use a number from 1 to 65535 (the course uses ${DEFAULT_PORT})` };
  }
  return { ok: true, address: { host, port } };
}

export function formatServerAddress(address: ServerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
