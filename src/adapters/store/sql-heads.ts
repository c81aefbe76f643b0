// Branch heads over SqlDb: the last head per branch a delivery (or catch-up) moved.
import { tableNames } from './schema-sql.ts';
import type { SqlDb } from './db.ts';
import type { BranchHeads } from './types.ts';

export function sqlHeads(db: SqlDb): BranchHeads {
  const t = tableNames(db.dialect);
  const set = async (x: SqlDb, repo: string, branch: string, sha: string | null, at: number) => {
    if (sha === null) await x.run(`DELETE FROM ${t.heads} WHERE repo = ? AND branch = ?`, [repo, branch]);
    else
      await x.run(
        `INSERT INTO ${t.heads} (repo, branch, sha, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (repo, branch) DO UPDATE SET sha = excluded.sha, updated_at = excluded.updated_at`,
        [repo, branch, sha, at],
      );
  };
  return {
    async heads(repo) {
      const out: Record<string, string> = {};
      for (const r of await db.all(`SELECT branch, sha FROM ${t.heads} WHERE repo = ?`, [repo])) out[String(r.branch)] = String(r.sha);
      return out;
    },
    async reposWithHeads() {
      return (await db.all(`SELECT DISTINCT repo FROM ${t.heads} ORDER BY repo`)).map((r) => String(r.repo));
    },
    setHead: (repo, branch, sha, at) => set(db, repo, branch, sha, at),
    setHeads: (repo, heads, at) =>
      db.tx(async (x) => {
        for (const [branch, sha] of heads) await set(x, repo, branch, sha, at);
      }, { derived: true }), // a catch-up's baseline is read from Gitea again if lost
  };
}
