/**
 * SHA-256 certificate fingerprints as people copy them: `AB:CD:…` from `classroom-relay serve`
 * or `openssl x509 -fingerprint -sha256` (with or without its `sha256 Fingerprint=` label), in
 * any letter case, with colons, spaces or nothing between the bytes.
 */
import { timingSafeEqual } from 'node:crypto';

/** 64 lowercase hex digits, or undefined when `text` is not a SHA-256 fingerprint. */
export function normalizeFingerprint(text: string): string | undefined {
  const bare = text
    .trim()
    .replace(/^sha-?256\s*(fingerprint)?\s*[=:]?\s*/i, '')
    .replace(/[\s:-]/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(bare) ? bare : undefined;
}

/** The usual form: uppercase byte pairs separated by colons. */
export function formatFingerprint(text: string): string {
  const bare = normalizeFingerprint(text) ?? text;
  return (bare.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

/** Compares in constant time, so a wrong guess tells nothing about how close it was. */
export function fingerprintsMatch(expected: string, presented: string): boolean {
  const a = normalizeFingerprint(expected);
  const b = normalizeFingerprint(presented);
  if (a === undefined || b === undefined) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

export const FINGERPRINT_FORMAT =
  'the 64 hex digits of a SHA-256 fingerprint, e.g. AB:CD:… as "classroom-relay serve" prints it';
