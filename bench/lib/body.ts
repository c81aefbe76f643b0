// Signed Gitea push deliveries for load generation: the shape of a real v1.25 push (one commit),
// about 1.5 KB of compact JSON, every body distinct (its `after` sha and commit id come from a
// counter) and every delivery id a distinct random UUID, as Gitea sends them, so the monitor's dedupe (by id and by body bytes) never
// answers "duplicate" and each request is a new durable insert.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export interface SignedDelivery {
  id: string;
  body: string;
  signature: string;
}

export interface DeliverySource {
  /** The next distinct delivery (counter-based, cheap: no hashing but the HMAC itself). */
  next(): SignedDelivery;
  /** How many were handed out. */
  readonly count: number;
  readonly headers: Record<string, string>;
}

const ROOT = 'http://127.0.0.1:3000/';

export const repoName = (i: number) => `bench/repo-${String(i).padStart(4, '0')}`;

function user(id: number, login: string, full: string): string {
  return `{"id":${id},"login":"${login}","full_name":"${full}","html_url":"${ROOT}${login}","username":"${login}"}`;
}

/** The compact JSON of one push to `repo` moving main from `before` to `after`. */
export function pushBody(repo: string, repoId: number, before: string, after: string, message: string): string {
  const [owner] = repo.split('/');
  const alice = `{"name":"Alice Liddell","email":"alice@example.com","username":"alice"}`;
  const commit = `{"id":"${after}","message":"${message}\\n","url":"${ROOT}${repo}/commit/${after}","author":${alice},"timestamp":"2024-05-02T10:15:42+02:00","added":[],"removed":[],"modified":["README.md"]}`;
  const repository = `{"id":${repoId},"owner":${user(2, owner!, 'Bench')},"name":"${repo.split('/')[1]}","full_name":"${repo}","description":"","empty":false,"private":false,"fork":false,"html_url":"${ROOT}${repo}","default_branch":"main","archived":false}`;
  return `{"ref":"refs/heads/main","before":"${before}","after":"${after}","compare_url":"${ROOT}${repo}/compare/${before}...${after}","commits":[${commit}],"total_commits":1,"head_commit":${commit},"repository":${repository},"pusher":${user(1, 'alice', 'Alice Liddell')},"sender":${user(1, 'alice', 'Alice Liddell')}}`;
}

export const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** Distinct signed pushes spread round-robin over `repos` repositories of org `bench`. */
export function deliverySource(secret: string, repos: number): DeliverySource {
  // A random run tag keeps bodies distinct across runs against the same database, too.
  const tag = randomBytes(6).toString('hex');
  let n = 0;
  const sha = (k: number) => (tag + k.toString(16)).padStart(40, '0');
  return {
    headers: { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-event-type': 'push', 'user-agent': 'Go-http-client/1.1' },
    get count() {
      return n;
    },
    next() {
      const k = ++n;
      const r = k % repos;
      const body = pushBody(repoName(r), r + 1, sha(2 * k), sha(2 * k + 1), `Update README.md (${k})`);
      // A random UUID, as Gitea's X-Gitea-Delivery: every key on it lands on a random index page.
      return { id: randomUUID(), body, signature: sign(secret, body) };
    },
  };
}
