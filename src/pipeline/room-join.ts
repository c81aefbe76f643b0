// Joining a configured room, and what a refusal means: a 403 on the join is "not invited yet"
// (the room is not_joined, its notices are held, the operator is told whom to invite); any other
// failure is an error of the room (unknown alias, homeserver down) that retries as usual.
import { SendError, toFailure, type MatrixPort } from '../adapters/matrix/client.ts';

export type RoomJoin =
  | { ok: true; roomId: string }
  | { ok: false; state: 'not_joined' | 'error'; detail: string; error: SendError };

export async function tryJoin(matrix: MatrixPort, target: string): Promise<RoomJoin> {
  try {
    return { ok: true, roomId: await matrix.joinRoom(target) };
  } catch (e) {
    const f = e instanceof SendError ? e.failure : toFailure(e);
    if (f.kind !== 'forbidden') return { ok: false, state: 'error', detail: f.message, error: new SendError(f) };
    const bot = await matrix.whoami().then((w) => w.userId, () => 'the bot user');
    const message = `${target} refuses the join; invite ${bot} (${f.message})`;
    return { ok: false, state: 'not_joined', detail: `invite ${bot}`, error: new SendError({ ...f, kind: 'not_joined', message }) };
  }
}
