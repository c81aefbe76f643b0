// What one delivery says, reduced to the facts a notice shows. Built by `classify` (pure), stored
// with each outbox row (so a digest can be rendered from its members after a restart) and fed to
// the templates.

export type NoticeKind =
  | 'push' // commits pushed to an existing branch
  | 'branch_created' // push that created a branch (before = zeros)
  | 'branch_deleted' // delete event, ref_type branch (Gitea sends no push for it)
  | 'tag_pushed' // push of refs/tags/* (commits: [])
  | 'tag_deleted' // push of refs/tags/* with after = zeros
  | 'release' // release published
  | 'test' // Gitea's test delivery (before == after)
  | 'created' // a create event (branch or tag), announced only when push is not routed
  | 'catch_up'; // a branch moved while the monitor was not receiving (found on start)

export interface CommitLine {
  id: string;
  short: string;
  url: string;
  /** First line of the message, trimmed and cut to 300 characters. */
  title: string;
  author: string;
}

export interface NoticeItem {
  kind: NoticeKind;
  event: 'push' | 'create' | 'delete' | 'release';
  repo: { full_name: string; name: string; owner: string; html_url: string };
  /** Login of the pusher (push) or sender (other events). */
  actor: string;
  /** Full ref (refs/heads/main) when known, else the short name Gitea sent. */
  ref: string;
  /** Branch or tag name. */
  ref_name: string;
  ref_type: 'branch' | 'tag';
  ref_url: string;
  before: string | null;
  after: string | null;
  /** Gitea's real count (its list is cut to 5, or 15 on Forgejo). */
  total_commits: number;
  /** Newest first, as Gitea lists them. */
  commits: CommitLine[];
  compare_url: string | null;
  release: { tag: string; name: string; url: string; prerelease: boolean } | null;
  /** For a catch_up item: what catch-up found (push = a branch moved, branch_created, branch_deleted, tag_pushed, release). */
  change?: NoticeKind;
  /** The head commit's full message (not only its title), for ignore.commit_markers. Not rendered. */
  messages: string[];
}
