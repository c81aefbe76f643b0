// A secret value that can only be read on purpose: printing, logging or serialising it yields
// "[redacted]", so a secret cannot leak through a log line, an error or a JSON body by accident.
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  /** The real value; call only where the secret is used (HMAC key, Authorization header). */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
