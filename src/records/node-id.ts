// Which data_factory node a repository's runs belong to. The id is `gitea_push_<repo name>`, as the
// task card says, unless a repository of another owner with the same name holds that id already:
// then it is `gitea_push_<owner>__<name>` (Gitea owner names never contain "__", so the two forms
// cannot meet). The first owner recorded keeps the short id, so an id never changes when a second
// owner's repository appears later; a repository keeps the node it was first given.
import { createHash } from 'node:crypto';
import { NODE_PREFIX, type Store } from '../adapters/store/types.ts';

export interface KnownNode {
  nodeId: string;
  repo: string;
}

function parts(repo: string): [string, string] {
  const i = repo.indexOf('/');
  return i < 0 ? ['', repo] : [repo.slice(0, i), repo.slice(i + 1)];
}

/** The ids a repository may get, in order of preference. */
export function nodeIdCandidates(repo: string): string[] {
  const [owner, name] = parts(repo);
  const owned = `${NODE_PREFIX}${owner}__${name}`;
  return [NODE_PREFIX + name, owned, `${owned}_${createHash('sha256').update(repo.toLowerCase()).digest('hex').slice(0, 8)}`];
}

/** Pure: the repository's node among the known ones, else the first candidate nobody holds. */
export function chooseNodeId(repo: string, known: readonly KnownNode[]): string {
  const own = known.find((k) => k.repo.toLowerCase() === repo.toLowerCase());
  if (own) return own.nodeId;
  const taken = new Set(known.map((k) => k.nodeId));
  const candidates = nodeIdCandidates(repo);
  return candidates.find((id) => !taken.has(id)) ?? candidates[candidates.length - 1]!;
}

/** The node of `repo`, read from the records (same-name repositories and the candidate ids). With
 * `known`, a repository whose node is already recorded is answered from memory: its id never changes,
 * so only its first delivery in a process pays the query. */
export async function nodeIdFor(store: Pick<Store, 'nodesNamed'>, repo: string, known?: Map<string, string>): Promise<string> {
  const key = repo.toLowerCase();
  const cached = known?.get(key);
  if (cached) return cached;
  const nodes = await store.nodesNamed(parts(repo)[1], nodeIdCandidates(repo));
  const own = nodes.find((k) => k.repo.toLowerCase() === key);
  // Only a recorded node is remembered: a new one exists once its first run commits.
  if (own) known?.set(key, own.nodeId);
  return chooseNodeId(repo, nodes);
}
