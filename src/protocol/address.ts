/**
 * A server's address as people write it (`host:port`, `tls://host:port`, either with `/CODE` after
 * it to name a class of the relay, several of them separated by commas for the nodes of one relay):
 * read, checked and written back.
 */
import { readClassCode } from './classCode';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from './limits';

/** `tcp`: the plain relay (and the course's servers); `tls`: the relay's TLS listener. */
export type Transport = 'tcp' | 'tls';

/** One place a relay listens: a relay of several nodes has one of these per node. */
export interface RelayNode {
  transport: Transport;
  host: string;
  port: number;
}

export interface ServerAddress extends RelayNode {
  /**
   * The class of the relay this address names, as formatClassCode writes it (`4kx-92m`);
   * absent: the relay's default class, the one the course's clients join.
   */
  classCode?: string;
  /**
   * The relay's other nodes, in the order written after the first (`10.0.0.5:12345, 10.0.0.6:12345`):
   * one relay, so its classes, names and registrations are the same on each. Absent: a single address.
   */
  alternates?: readonly RelayNode[];
}

export type AddressCheck = { ok: true; address: ServerAddress } | { ok: false; detail: string };

/**
 * Reads `host:port`, `host` (course port), `[v6]:port`, and any of these after `tls://` (port 12346
 * when left out), each with `/CODE` after it for a class of the relay (`127.0.0.1:12345/4kx-92m`);
 * several, separated by commas, are the nodes of one relay, and a class code after any of them
 * (usually the last) is the class on all of them.
 */
export function parseServerAddress(input: string): AddressCheck {
  const entries = input.split(',');
  if (entries.length === 1) return parseOne(input);
  const nodes: RelayNode[] = [];
  const seen = new Set<string>();
  let classCode: string | undefined;
  for (const [index, entry] of entries.entries()) {
    const which = `address ${index + 1} of ${entries.length}`;
    if (entry.trim() === '')
      return {
        ok: false,
        detail: `${which} is empty; separate the relay's addresses with single commas, e.g. 10.0.0.5:12345, 10.0.0.6:12345`,
      };
    const check = parseOne(entry);
    if (!check.ok) return { ok: false, detail: `${which} ("${entry.trim()}"): ${check.detail}` };
    const { classCode: code, ...node } = check.address;
    if (code !== undefined) {
      if (classCode !== undefined && classCode !== code)
        return {
          ok: false,
          detail: `the addresses name two classes, ${classCode} and ${code}; the addresses of one relay name one class: write its code once, after the last address`,
        };
      classCode = code;
    }
    const key = nodeKey(node);
    if (seen.has(key)) return { ok: false, detail: `${formatNode(node)} is listed twice` };
    seen.add(key);
    nodes.push(node);
  }
  const [first, ...alternates] = nodes as [RelayNode, ...RelayNode[]];
  return {
    ok: true,
    address: { ...first, ...(classCode === undefined ? {} : { classCode }), alternates },
  };
}

function parseOne(input: string): AddressCheck {
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

/**
 * The inverse of parseServerAddress: `host:port`, `[v6]:port`, or either after `tls://`, the nodes
 * separated by `, `; then `/CODE` for a class.
 */
export function formatServerAddress(address: ServerAddress): string {
  const server = nodesOf(address).map(formatNode).join(', ');
  return address.classCode === undefined ? server : `${server}/${address.classCode}`;
}

/** One node as written: `host:port`, `[v6]:port`, or either after `tls://`. */
export function formatNode(node: RelayNode): string {
  const hostPort = node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`;
  return node.transport === 'tls' ? `tls://${hostPort}` : hostPort;
}

/** Every node of the relay, the first address first. */
export function nodesOf(address: ServerAddress): RelayNode[] {
  const first: RelayNode = { transport: address.transport, host: address.host, port: address.port };
  return [first, ...(address.alternates ?? []).map(({ transport, host, port }) => ({ transport, host, port }))];
}

/**
 * Every node of the relay in one order, whatever order its addresses were written in: what is kept
 * for a relay (its resume token, history, teacher key, trusted certificate) is filed so, and `B, A`
 * finds what `A, B` kept. Connections still try the nodes in the order written.
 */
export function nodesInKeyOrder(address: ServerAddress): RelayNode[] {
  const keyed = nodesOf(address).map((node) => ({ node, key: nodeKey(node) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ node }) => node);
}

/** The address with its nodes in key order (nodesInKeyOrder), as written: one address is written as it is. */
export function relayKey(address: ServerAddress): string {
  const [first, ...alternates] = nodesInKeyOrder(address) as [RelayNode, ...RelayNode[]];
  return formatServerAddress({ ...address, ...first, alternates });
}

/** Whether the relay has more than one address: only then is it worth saying which node a client is on. */
export function hasSeveralNodes(address: ServerAddress): boolean {
  return (address.alternates?.length ?? 0) > 0;
}

/** The same node whatever the case of its host name. */
function nodeKey(node: RelayNode): string {
  return formatNode({ ...node, host: node.host.toLowerCase() });
}

/** The relay itself (all its nodes), whatever class the address names: where class requests go. */
export function relayOf(address: ServerAddress): ServerAddress {
  const relay: ServerAddress = { transport: address.transport, host: address.host, port: address.port };
  if (address.alternates !== undefined) relay.alternates = address.alternates;
  return relay;
}
