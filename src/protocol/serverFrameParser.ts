/** What the relay sends a client, checked (docs/protocol.md, "Relay to client"). */
import {
  MAX_CLASS_CODE_BYTES,
  MAX_DETAIL_BYTES,
  MAX_LISTED_CLASSES,
  MAX_TEACHER_KEY_BYTES,
  MAX_ERROR_CODE_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_FRAME_BYTES,
  MAX_NAME_BYTES,
  MAX_REJECT_REASON_BYTES,
  MAX_RELAYED_NAME_BYTES,
  MAX_RESUME_TOKEN_BYTES,
  MAX_SERVER_LABEL_BYTES,
  MAX_TIME_BYTES,
} from './limits';
import type { ClassSummary, EnvelopeMeta, ErrorCode, RejectReason, ServerFrame } from './frames';
import {
  asObject,
  count,
  FieldError,
  guardTyped,
  id,
  knownFeatures,
  muted,
  names,
  raisedHand,
  role,
  rosterEntry,
  snippet,
  text,
  type ParseResult,
} from './frameFields';

/** Checks a decoded JSON value from the relay. */
export function parseServerFrame(value: unknown): ParseResult<ServerFrame> {
  return guardTyped(value, (fields, type): ServerFrame | undefined => {
    const at = () => text(fields, 'at', MAX_TIME_BYTES);
    const optionalId = () => id(fields, true);
    const withId = <T extends object>(frame: T): T => {
      const frameId = optionalId();
      return frameId === undefined ? frame : { ...frame, id: frameId };
    };
    const withMeta = <T extends object>(frame: T): T & EnvelopeMeta => {
      const seq = fields.seq;
      const withSeq: T & EnvelopeMeta =
        Number.isSafeInteger(seq) && (seq as number) > 0 ? { ...frame, seq: seq as number } : frame;
      return withId(fields.teacher === true ? { ...withSeq, teacher: true } : withSeq);
    };
    switch (type) {
      case 'welcome': {
        const online = fields.online;
        if (!Array.isArray(online) || !online.every((name): name is string => typeof name === 'string'))
          throw new FieldError('field "online" must be an array of names');
        const limits = asObject(fields.limits);
        const number = (key: string): number => {
          const value = limits[key];
          if (!Number.isSafeInteger(value) || (value as number) <= 0)
            throw new FieldError(`field "limits.${key}" must be a positive integer`);
          return value as number;
        };
        const version = fields.version;
        if (!Number.isSafeInteger(version)) throw new FieldError('field "version" must be an integer');
        const welcome: ServerFrame = {
          type,
          version: version as number,
          name: text(fields, 'name', MAX_NAME_BYTES),
          online,
          limits: {
            frameBytes: number('frameBytes'),
            textBytes: number('textBytes'),
            snippetBytes: number('snippetBytes'),
            nameLength: number('nameLength'),
          },
          server: text(fields, 'server', MAX_SERVER_LABEL_BYTES),
        };
        if (Number.isSafeInteger(fields.onlineTotal) && (fields.onlineTotal as number) >= 0)
          welcome.onlineTotal = fields.onlineTotal as number;
        const features = knownFeatures(fields.features);
        if (features.length > 0) welcome.features = features;
        const resume = text(fields, 'resume', MAX_RESUME_TOKEN_BYTES, true);
        if (resume !== undefined) welcome.resume = resume;
        if (fields.resumed === true) welcome.resumed = true;
        if (fields.role === 'teacher' || fields.role === 'student') welcome.role = fields.role;
        const classCode = text(fields, 'class', MAX_CLASS_CODE_BYTES, true);
        if (classCode !== undefined) welcome.class = classCode;
        return welcome;
      }
      case 'message':
        return withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          text: text(fields, 'text', MAX_FRAME_BYTES),
          at: at(),
        });
      case 'snippet':
        return withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          snippet: snippet(fields.snippet, MAX_FRAME_BYTES),
          at: at(),
        });
      case 'broadcast': {
        const frame: ServerFrame = withMeta({
          type,
          from: text(fields, 'from', MAX_RELAYED_NAME_BYTES),
          text: text(fields, 'text', MAX_FRAME_BYTES),
          at: at(),
        });
        if (fields.snippet !== undefined) frame.snippet = snippet(fields.snippet, MAX_FRAME_BYTES);
        if (fields.earlier === true) frame.earlier = true;
        return frame;
      }
      case 'hints-cleared':
        return { type, by: text(fields, 'by', MAX_RELAYED_NAME_BYTES), at: at() };
      case 'self': {
        const frame: ServerFrame = { type, role: role(fields.role) };
        if (fields.hand !== undefined) frame.hand = raisedHand(fields.hand);
        if (fields.muted !== undefined) frame.muted = muted(fields.muted);
        return frame;
      }
      case 'roster': {
        if (!Array.isArray(fields.entries)) throw new FieldError('field "entries" must be an array');
        const frame: ServerFrame = { type, entries: fields.entries.map(rosterEntry), total: count(fields, 'total') };
        if (fields.handsLeftOut !== undefined) frame.handsLeftOut = count(fields, 'handsLeftOut');
        return frame;
      }
      case 'ack': {
        const status = fields.status;
        if (status !== 'delivered' && status !== 'unknown-peer' && status !== 'rejected')
          throw new FieldError('field "status" is not a known status');
        const frame: ServerFrame = { type, id: id(fields), status };
        const reason = text(fields, 'reason', MAX_REJECT_REASON_BYTES, true);
        const detail = text(fields, 'detail', MAX_DETAIL_BYTES, true);
        if (reason !== undefined) frame.reason = reason as RejectReason;
        if (detail !== undefined) frame.detail = detail;
        if (fields.duplicate === true) frame.duplicate = true;
        if (Number.isSafeInteger(fields.recipients)) frame.recipients = fields.recipients as number;
        return frame;
      }
      case 'presence': {
        const event = fields.event;
        if (event !== 'join' && event !== 'leave') throw new FieldError('field "event" must be "join" or "leave"');
        return { type, event, name: text(fields, 'name', MAX_RELAYED_NAME_BYTES) };
      }
      case 'presence-batch': {
        const frame: ServerFrame = {
          type,
          joined: names(fields, 'joined'),
          left: names(fields, 'left'),
          online: count(fields, 'online'),
        };
        if (fields.truncated === true) frame.truncated = true;
        return frame;
      }
      case 'online': {
        const frame: ServerFrame = {
          type,
          id: id(fields),
          names: names(fields, 'names'),
          total: count(fields, 'total'),
        };
        const next = text(fields, 'next', MAX_RELAYED_NAME_BYTES, true);
        if (next !== undefined) frame.next = next;
        return frame;
      }
      case 'error': {
        const frame: ServerFrame = {
          type,
          code: text(fields, 'code', MAX_ERROR_CODE_BYTES) as ErrorCode,
          message: text(fields, 'message', MAX_ERROR_MESSAGE_BYTES),
          fatal: fields.fatal === true,
        };
        if (Array.isArray(fields.supported))
          frame.supported = fields.supported.filter((v): v is number => Number.isSafeInteger(v));
        return frame;
      }
      case 'class-created':
        return {
          type,
          id: id(fields),
          code: text(fields, 'code', MAX_CLASS_CODE_BYTES),
          teacherKey: text(fields, 'teacherKey', MAX_TEACHER_KEY_BYTES),
        };
      case 'classes': {
        const listed = fields.classes;
        if (!Array.isArray(listed) || listed.length > MAX_LISTED_CLASSES)
          throw new FieldError(`field "classes" must be an array of at most ${MAX_LISTED_CLASSES} classes`);
        return { type, id: id(fields), classes: listed.map(classSummary) };
      }
      case 'class-ended':
        return { type, id: id(fields), code: text(fields, 'code', MAX_CLASS_CODE_BYTES) };
      case 'ping':
      case 'pong':
        return withId({ type });
      default:
        return undefined;
    }
  });
}

function classSummary(value: unknown): ClassSummary {
  const fields = asObject(value);
  return {
    code: text(fields, 'code', MAX_CLASS_CODE_BYTES),
    madeAt: text(fields, 'madeAt', MAX_TIME_BYTES),
    usedAt: text(fields, 'usedAt', MAX_TIME_BYTES),
    online: count(fields, 'online'),
  };
}
