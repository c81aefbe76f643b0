// The bot's display name and avatar from monitor.yaml, applied at start and on reload, and only
// the fields that differ from what the homeserver holds (a PUT also rewrites the bot's member
// event in every joined room, so an unchanged name must not be re-sent).
import type { MatrixPort } from '../adapters/matrix/client.ts';
import type { Logger } from '../log.ts';

export interface WantedProfile {
  displayName: string | null;
  avatarUrl: string | null;
}

/** Which fields to change: pure, for a table test. */
export function profileChanges(want: WantedProfile, have: WantedProfile): Array<['displayname' | 'avatar_url', string]> {
  const out: Array<['displayname' | 'avatar_url', string]> = [];
  if (want.displayName !== null && want.displayName !== have.displayName) out.push(['displayname', want.displayName]);
  if (want.avatarUrl !== null && want.avatarUrl !== have.avatarUrl) out.push(['avatar_url', want.avatarUrl]);
  return out;
}

export async function applyProfile(matrix: MatrixPort, want: WantedProfile, logger: Logger): Promise<void> {
  if (want.displayName === null && want.avatarUrl === null) return;
  try {
    for (const [field, value] of profileChanges(want, await matrix.profile())) {
      await matrix.setProfile(field, value);
      logger.info('bot profile updated', { field, value });
    }
  } catch (e) {
    logger.warn('cannot set the bot profile (matrix.display_name / matrix.avatar_url)', { error: (e as Error).message });
  }
}
