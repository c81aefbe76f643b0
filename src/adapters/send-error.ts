// The outcome of a failed outbound send (Matrix or a downstream trigger), in the terms the retry
// decision needs: what kind of failure, the HTTP status, and how long the peer asked us to wait.
export interface SendFailure {
  /**
   * not_joined: the room refuses the bot's join (not invited yet); unencrypted: the room is
   * end-to-end encrypted and the notice cannot be encrypted. Both are held and retried, not failed.
   */
  kind: 'rate_limited' | 'forbidden' | 'not_joined' | 'unencrypted' | 'not_found' | 'unauthorized' | 'too_large' | 'server' | 'network' | 'client';
  status: number | null;
  errcode: string | null;
  retryAfterMs: number | null;
  message: string;
}

export class SendError extends Error {
  readonly failure: SendFailure;
  constructor(failure: SendFailure) {
    super(failure.message);
    this.name = 'SendError';
    this.failure = failure;
  }
}
