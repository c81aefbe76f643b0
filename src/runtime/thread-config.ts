// The config crosses into the storage-and-processing thread without its secrets: processing
// renders and records, it never signs or sends, so every Secret arrives as a placeholder.
import type { Config } from '../config/config.ts';
import { Secret } from '../secret.ts';

/** Structured-cloneable: Secrets become null. */
export function configForThread(c: Config): unknown {
  return JSON.parse(JSON.stringify(c, (_k, v: unknown) => (v instanceof Secret ? null : v)));
}

const placeholder = () => new Secret('');

/** The config back in the thread, each secret a placeholder that reveals ''. */
export function configInThread(raw: unknown): Config {
  const c = raw as Config;
  return {
    ...c,
    gitea: { ...c.gitea, token: placeholder() },
    webhook: { ...c.webhook, secret: placeholder(), previousSecrets: c.webhook.previousSecrets.map(placeholder) },
    matrix: {
      ...c.matrix,
      accessToken: c.matrix.accessToken === null ? null : placeholder(),
      login: c.matrix.login === null ? null : { ...c.matrix.login, password: placeholder() },
      cryptoStore: c.matrix.cryptoStore === null ? null : { ...c.matrix.cryptoStore, passphrase: placeholder() },
    },
    triggers: c.triggers.map((t) => ({ ...t, secret: placeholder() })),
    dashboard: { ...c.dashboard, token: c.dashboard.token === null ? null : placeholder() },
  };
}
