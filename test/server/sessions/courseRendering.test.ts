/**
 * A message as a course client gets it: a plain one-line message is written as it is, and every
 * message is exactly the parts the course dialect's rules make of it (protocol/course.ts), whatever
 * its text: line breaks, controls, bidi marks, tabs, and lengths around one recv() of 1024 bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forwardParts, senderLabel } from '../../../src/protocol/course';
import type { Envelope } from '../../../src/server/routing/peer';
import { courseParts } from '../../../src/server/sessions/courseRendering';

const AT = '2026-09-01T08:00:00.000Z';

/** The parts as the dialect's own rules make them, every time. */
function byTheRules(envelope: Extract<Envelope, { type: 'message' }>, lineFramed: boolean): string[] {
  const parts = forwardParts(senderLabel(envelope.from, envelope.teacher ? { hint: false } : undefined), envelope.text);
  return lineFramed ? [parts.map((part) => `${part}\n`).join('')] : parts;
}

const texts = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('a', 'ä', '✓', '𝄞', '\t', '\n', '\r', '\u0007', '\u202e', ' '), maxLength: 1100 }),
  fc.integer({ min: 990, max: 1030 }).map((length) => 'x'.repeat(length)),
  fc.integer({ min: 330, max: 345 }).map((length) => '✓'.repeat(length)),
);

test('every message reaches a course client as the parts the dialect makes of it, plain or not', () => {
  fc.assert(
    fc.property(texts, fc.boolean(), fc.boolean(), (text, lineFramed, teacher) => {
      const envelope: Extract<Envelope, { type: 'message' }> = { type: 'message', from: 'Anna', text, at: AT };
      if (teacher) envelope.teacher = true;
      assert.deepEqual(courseParts(envelope, lineFramed), byTheRules(envelope, lineFramed));
    }),
    { numRuns: 2000 },
  );
});

test('a plain line is written as the sender, a colon and the text', () => {
  const envelope: Envelope = { type: 'message', from: 'Anna', text: 'Hallo\tBen, wie geht es?', at: AT };
  assert.deepEqual(courseParts(envelope, true), ['Anna: Hallo\tBen, wie geht es?\n']);
  assert.deepEqual(courseParts(envelope, false), ['Anna: Hallo\tBen, wie geht es?']);
});
