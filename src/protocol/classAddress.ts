/**
 * A relay address that names a class: `HOST:PORT/CODE` or `tls://HOST:PORT/CODE`, as a teacher
 * hands it to the class. Without `/CODE` it is the relay's default class, the one the course's
 * clients join.
 */
import { formatServerAddress, parseServerAddress, type ServerAddress } from './address';
import { readClassCode } from './classCode';

export interface ClassAddress {
  server: ServerAddress;
  /** The class's code as people read it (`4kx-92m`); undefined: the default class. */
  classCode?: string;
}

export type ClassAddressCheck = { ok: true; address: ClassAddress } | { ok: false; detail: string };

export function parseClassAddress(input: string): ClassAddressCheck {
  const text = input.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  const rest = text.slice(scheme.length);
  const slash = rest.indexOf('/');
  const server = parseServerAddress(scheme + (slash === -1 ? rest : rest.slice(0, slash)));
  if (!server.ok) return server;
  if (slash === -1) return { ok: true, address: { server: server.address } };
  const code = readClassCode(rest.slice(slash + 1));
  if (!code.ok) return { ok: false, detail: `after the "/" comes the class's code, but ${code.detail}` };
  return { ok: true, address: { server: server.address, classCode: code.code } };
}

/** The inverse of parseClassAddress. */
export function formatClassAddress(address: ClassAddress): string {
  const server = formatServerAddress(address.server);
  return address.classCode === undefined ? server : `${server}/${address.classCode}`;
}
