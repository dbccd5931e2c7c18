/**
 * Class requests over the framed protocol, each on a connection of its own instead of a hello:
 * making a class (anyone or the admin key's holder, as the relay's operator chose), listing the
 * classes and ending one (the admin key's holder). Keys are never logged.
 */
import type { ClientFrame, ServerFrame } from '../../protocol/frames';
import type { SessionIo } from '../connections/clientConnection';

export type ClassRequest = Extract<ClientFrame, { type: 'class-create' | 'class-list' | 'class-end' }>;

type ClassAnswer =
  Extract<ServerFrame, { type: 'class-created' | 'classes' | 'class-ended' }> | { type: 'refused'; detail: string };

/** The session a class request came on: it says the answer (or the refusal) and closes. */
export interface ClassRequester {
  refuse(code: 'class-refused', message: string): void;
  last(frame: ServerFrame, reason: string): void;
}

/** One class request, one answer, then the relay closes: the connection never registers. */
export function answerClassRequest(frame: ClassRequest, io: SessionIo, session: ClassRequester): void {
  const said = answer(frame, io);
  if (said.type === 'refused') session.refuse('class-refused', said.detail);
  else session.last(said, 'class request answered');
}

function answer(frame: ClassRequest, io: SessionIo): ClassAnswer {
  const { rooms, log, remote, address } = io;
  switch (frame.type) {
    case 'class-create': {
      const made = rooms.create(address, frame.adminKey);
      if (!made.ok) {
        log.write('refused', remote, `class not made: ${made.detail}`);
        return { type: 'refused', detail: made.detail };
      }
      log.always('class', remote, `made class ${made.code}`);
      return { type: 'class-created', id: frame.id, code: made.code, teacherKey: made.teacherKey };
    }
    case 'class-list': {
      const listed = rooms.list(address, frame.adminKey);
      if (!listed.ok) {
        log.write('refused', remote, `classes not listed: ${listed.detail}`);
        return { type: 'refused', detail: listed.detail };
      }
      return { type: 'classes', id: frame.id, classes: listed.value };
    }
    case 'class-end': {
      const ended = rooms.end(address, frame.code, frame.adminKey);
      if (!ended.ok) {
        log.write('refused', remote, `class not ended: ${ended.detail}`);
        return { type: 'refused', detail: ended.detail };
      }
      log.always('class', remote, `ended class ${ended.value}`);
      return { type: 'class-ended', id: frame.id, code: ended.value };
    }
  }
}
