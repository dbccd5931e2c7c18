/** Whether a hello's teacher key makes its client a teacher of the room, and if not, what it is told. */
import type { ErrorCode, Resume } from '../../protocol/frames';
import { lockoutText } from '../classroom/keyGuessing';
import type { Hub } from '../routing/hub';

export type TeacherProof = { ok: true } | { ok: false; code: ErrorCode; message: string; log: string };

export function teacherProof(
  room: Hub,
  code: string | undefined,
  name: string,
  teacherKey: string,
  resume: Resume | undefined,
  address: string,
): TeacherProof {
  const vouched = room.resumesTeacher(name, resume);
  const verdict = room.classroom.keyAttempt(address, teacherKey, vouched);
  if (verdict.type === 'teacher') return { ok: true };
  if (vouched) room.spendResume(name);
  if (verdict.type === 'locked')
    return {
      ok: false,
      code: 'teacher-key-locked',
      message: lockoutText(verdict, address, Date.now()),
      log: `name "${name}": teacher keys locked out (${verdict.scope})`,
    };
  // The key itself is never logged nor repeated.
  return {
    ok: false,
    code: 'teacher-key-invalid',
    message:
      code !== undefined
        ? `the teacher key is not that of class ${code}; connect with the class's own key, or as a student`
        : room.classroom.hasTeacherKey
          ? 'the teacher key is not right; ask whoever runs the relay for it, or connect without it as a student'
          : 'this relay has no teachers; connect without a teacher key',
    log: `name "${name}": wrong teacher key`,
  };
}
