/**
 * Finds English in text meant to be German: words of English that German never uses (function
 * words, and the words of the relay's and the client's own English explanations). Words German
 * shares with English (Name, Server, Relay, Chat, online, Code, was) are not on the list.
 */
const ENGLISH = new Set([
  'the', 'and', 'is', 'are', 'were', 'not', 'you', 'your', 'to', 'of', 'for', 'with', 'this', 'that', 'has', 'have', 'been', 'did',
  'does', 'could', 'would', 'should', 'cannot', 'can', 'it', 'its', 'be', 'by', 'from', 'or', 'no', 'yes', 'only', 'please', 'try',
  'again', 'later', 'wait', 'while', 'now', 'right', 'over', 'way', 'too', 'many', 'large', 'another', 'time', 'took',
  'connection', 'connected', 'disconnected', 'message', 'messages', 'send', 'sent', 'refused', 'closed', 'reconnecting', 'failed',
  'allowed', 'teacher', 'hint', 'everyone', 'muted', 'unknown', 'error', 'read', 'unread', 'delivered', 'pending', 'stopped',
  'running', 'reached', 'answer', 'timeout', 'network', 'broke', 'sign', 'confirm', 'window', 'key', 'accepted', 'accept',
  'certificate', 'trusted', 'protocol', 'version', 'busy', 'reading', 'rate', 'limited', 'invalid', 'recipient', 'snippet',
  'control', 'characters', 'acknowledgement',
]);

/** The English words in `text`, after taking out what the person or a classmate wrote (`allowed`: names, message texts). */
export function englishIn(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const written of [...allowed].sort((a, b) => b.length - a.length)) if (written !== '') rest = rest.split(written).join(' ');
  const found = rest.split(/[^\p{L}']+/u).filter((word) => ENGLISH.has(word.toLowerCase()));
  // A key missing from the German bundle shows as "MISSING <English>" (see extensionParts.german).
  if (/\bMISSING\b/.test(rest)) found.push('MISSING');
  return found;
}
