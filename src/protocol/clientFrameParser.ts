/** What a client sends the relay, checked (docs/protocol.md, "Client to relay"). */
import {
  MAX_ADMIN_KEY_BYTES,
  MAX_CLASS_CODE_BYTES,
  MAX_CLIENT_LABEL_BYTES,
  MAX_FRAME_BYTES,
  MAX_NAME_BYTES,
  MAX_QUESTION_BYTES,
  MAX_RELAYED_NAME_BYTES,
  MAX_RESUME_TOKEN_BYTES,
  MAX_TEACHER_KEY_BYTES,
  PROTOCOL_NAME,
} from './limits';
import type { ClientFrame } from './frames';
import {
  asObject,
  FieldError,
  guardTyped,
  id,
  knownFeatures,
  moderation,
  snippet,
  text,
  type Fields,
  type ParseResult,
} from './frameFields';

/**
 * Checks a decoded JSON value from a client. Text and code longer than the limits are let
 * through here (up to the frame size) so the relay can answer them with a specific ack.
 */
export function parseClientFrame(value: unknown): ParseResult<ClientFrame> {
  return guardTyped(value, clientFrame);
}

/** Text and code may be as long as a frame here; the relay answers what is over their own limits. */
const loose = MAX_FRAME_BYTES;

/** The frame of `type` made of `fields`, checked; undefined for a type no client sends. */
function clientFrame(fields: Fields, type: string): ClientFrame | undefined {
  switch (type) {
    case 'hello': {
      const versions = fields.versions;
      if (!Array.isArray(versions) || versions.length === 0 || !versions.every((v) => Number.isSafeInteger(v))) {
        throw new FieldError('field "versions" must be a non-empty array of integers');
      }
      if (fields.protocol !== PROTOCOL_NAME) throw new FieldError(`field "protocol" must be "${PROTOCOL_NAME}"`);
      const frame: ClientFrame = {
        type,
        protocol: PROTOCOL_NAME,
        versions: versions as number[],
        name: text(fields, 'name', MAX_NAME_BYTES),
      };
      const client = text(fields, 'client', MAX_CLIENT_LABEL_BYTES, true);
      if (client !== undefined) frame.client = client;
      const features = knownFeatures(fields.features);
      if (features.length > 0) frame.features = features;
      if (fields.resume !== undefined) {
        const resume = asObject(fields.resume);
        const lastSeq = resume.lastSeq;
        if (!Number.isSafeInteger(lastSeq) || (lastSeq as number) < 0)
          throw new FieldError('field "resume.lastSeq" must be a whole number');
        frame.resume = { token: text(resume, 'token', MAX_RESUME_TOKEN_BYTES), lastSeq: lastSeq as number };
      }
      const teacherKey = text(fields, 'teacherKey', MAX_TEACHER_KEY_BYTES, true);
      if (teacherKey !== undefined) frame.teacherKey = teacherKey;
      const classCode = text(fields, 'class', MAX_CLASS_CODE_BYTES, true);
      if (classCode !== undefined) frame.class = classCode;
      return frame;
    }
    case 'class-create': {
      const adminKey = text(fields, 'adminKey', MAX_ADMIN_KEY_BYTES, true);
      return adminKey === undefined ? { type, id: id(fields) } : { type, id: id(fields), adminKey };
    }
    case 'class-list':
      return { type, id: id(fields), adminKey: text(fields, 'adminKey', MAX_ADMIN_KEY_BYTES) };
    case 'class-end':
      return {
        type,
        id: id(fields),
        code: text(fields, 'code', MAX_CLASS_CODE_BYTES),
        adminKey: text(fields, 'adminKey', MAX_ADMIN_KEY_BYTES),
      };
    case 'send':
      return { type, id: id(fields), to: text(fields, 'to', MAX_NAME_BYTES), text: text(fields, 'text', loose) };
    case 'snippet':
      return {
        type,
        id: id(fields),
        to: text(fields, 'to', MAX_NAME_BYTES),
        snippet: snippet(fields.snippet, loose),
      };
    case 'broadcast':
      return fields.snippet === undefined
        ? { type, id: id(fields), text: text(fields, 'text', loose) }
        : {
            type,
            id: id(fields),
            text: text(fields, 'text', loose, true) ?? '',
            snippet: snippet(fields.snippet, loose),
          };
    case 'hand': {
      if (typeof fields.up !== 'boolean') throw new FieldError('field "up" must be true or false');
      const question = text(fields, 'question', MAX_QUESTION_BYTES, true);
      return question === undefined
        ? { type, id: id(fields), up: fields.up }
        : { type, id: id(fields), up: fields.up, question };
    }
    case 'clear-hints':
      return { type, id: id(fields) };
    case 'bye':
      return { type };
    case 'moderate':
      return { type, id: id(fields), ...moderation(fields) };
    case 'who': {
      const after = text(fields, 'after', MAX_RELAYED_NAME_BYTES, true);
      return after === undefined ? { type, id: id(fields) } : { type, id: id(fields), after };
    }
    case 'ping':
    case 'pong': {
      const frameId = id(fields, true);
      return frameId === undefined ? { type } : { type, id: frameId };
    }
    default:
      return undefined;
  }
}
