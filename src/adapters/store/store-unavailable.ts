// The records database cannot take writes now (locked by another writer, gone, its disk failing…):
// deliveries get 503 and Gitea's retry, or a restart, finds it again.
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
