import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkConfigText } from '../../src/config/load.ts';

// 15 lines; cases below edit one line of it, so expected positions are easy to check by eye.
const MINIMAL = `version: 1
gitea:
  url: https://git.example.com
  token: { env: GITEA_TOKEN }
webhook:
  public_url: https://monitor.example.com/webhook/gitea
  secret: { env: WEBHOOK_SECRET }
matrix:
  homeserver: https://matrix.example.com
  access_token: { env: MATRIX_TOKEN }
  rooms:
    news: "#news:example.com"
repos:
  - match: dataforge/*
    notify: [news]
`;

function variant(find: string, replace: string): string {
  if (!MINIMAL.includes(find)) throw new Error(`test bug: ${find} not in MINIMAL`);
  return MINIMAL.replace(find, replace);
}

const check = (text: string) => checkConfigText(text, 'monitor.yaml').map((p) => `${p.line}:${p.col} ${p.message}`);

describe('checkConfigText', () => {
  it('accepts the example monitor.yaml and the minimal file', () => {
    const example = readFileSync(new URL('../../monitor.yaml', import.meta.url), 'utf8');
    expect(checkConfigText(example, 'monitor.yaml')).toEqual([]);
    expect(check(MINIMAL)).toEqual([]);
  });

  it('names the file it was given in every problem', () => {
    const [p] = checkConfigText(variant('version: 1', 'version: 2'), 'conf/x.yaml');
    expect(p).toEqual({ file: 'conf/x.yaml', line: 1, col: 10, message: 'version: must be 1' });
  });

  const cases: Array<[string, string, string[]]> = [
    ['unknown key (with a suggestion)', variant('  secret: { env: WEBHOOK_SECRET }\n', '  secret: { env: WEBHOOK_SECRET }\n  secrett: x\n'),
      ['8:3 webhook: unknown key "secrett" (did you mean "secret"?)']],
    ['unknown top-level key', MINIMAL + 'webhooks: {}\n', ['16:1 unknown top-level key "webhooks" (did you mean "webhook"?)']],
    ['unknown template', MINIMAL + 'templates:\n  pussh: { text: hi }\n', ['17:3 templates: unknown template "pussh" (did you mean "push"?)']],
    ['wrong type', variant('  token: { env: GITEA_TOKEN }\n', '  token: { env: GITEA_TOKEN }\n  concurrency: many\n'),
      ['5:16 gitea.concurrency: must be a whole number']],
    ['wrong type of a section', variant('repos:\n  - match: dataforge/*\n    notify: [news]\n', 'repos: dataforge/*\n'), ['13:8 repos: must be a list']],
    ['out of range', variant('  token: { env: GITEA_TOKEN }\n', '  token: { env: GITEA_TOKEN }\n  concurrency: 0\n'),
      ['5:16 gitea.concurrency: must be at least 1']],
    ['unknown room', variant('notify: [news]', 'notify: [news, alerts]'), ['15:20 repos[0].notify[1]: unknown room "alerts" (matrix.rooms has: news)']],
    ['no rooms to notify', variant('notify: [news]', 'notify: []'), ['15:13 repos[0].notify: must have at least 1 item']],
    ['bad glob in match', variant('match: dataforge/*', 'match: dataforge/[api'),
      ['14:12 repos[0].match: is not a valid glob: "[" is never closed by "]" (write \\[ for a literal "[")']],
    ['bad glob in branches', variant('notify: [news]', 'notify: [news]\n    branches: ["release/{1,2"]'),
      ['16:16 repos[0].branches[0]: is not a valid glob: "{" is never closed by "}" (write \\{ for a literal "{")']],
    ['match that is not owner/name', variant('match: dataforge/*', 'match: dataforge'),
      ['14:12 repos[0].match: must look like owner/name (globs allowed, e.g. dataforge/*)']],
    ['template that does not compile (block: the exact line)', MINIMAL + 'templates:\n  push:\n    text: |\n      {{ repo.name }} pushed\n      {% if x %}unclosed\n',
      ['20:7 templates.push.text: template does not compile: tag {% if x %} not closed']],
    ['template that does not compile (quoted: the exact column)', MINIMAL + 'templates:\n  push: { text: ok, html: "<b>{{ x | nosuchfilter }}</b>" }\n',
      ['17:31 templates.push.html: template does not compile: undefined filter: nosuchfilter']],
    ['bad duration', MINIMAL + 'rate_limit: { window: 5 minutes }\n',
      ['16:23 rate_limit.window: must be a duration such as 60s, 5m or 1h (units ms, s, m, h, d)']],
    ['zero window', MINIMAL + 'rate_limit: { window: 0s }\n', ['16:23 rate_limit.window: must be longer than 0']],
    ['bad size', MINIMAL + 'server: { body_limit: 5 MB }\n', ['16:23 server.body_limit: must be a size such as 5MiB, 512KiB or 1048576 (bytes)']],
    ['listen not host:port', MINIMAL + 'server: { listen: 8080 }\n', ['16:19 server.listen: must be a string']],
    ['listen port too large', MINIMAL + 'server: { listen: "[::1]:80800" }\n', ['16:19 server.listen: port must be 0-65535']],
    ['YAML syntax error', variant('notify: [news]', 'notify: [news'),
      ['16:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']],
    ['tab indentation', variant('  url: https://git.example.com', '\turl: https://git.example.com'),
      ['3:1 YAML syntax error: Tabs are not allowed as indentation']],
    ['duplicate key', variant('  token: { env: GITEA_TOKEN }\n', '  token: { env: GITEA_TOKEN }\n  url: https://other.example.com\n'),
      ['5:3 gitea: duplicate key "url" (first on line 3)']],
    ['duplicate top-level key', MINIMAL + 'version: 1\n', ['16:1 duplicate top-level key "version" (first on line 1)']],
    ['missing required key', variant('  token: { env: GITEA_TOKEN }\n', ''), ['2:1 gitea: missing required key "token"']],
    ['missing required key in a list item', variant('    notify: [news]\n', ''), ['14:5 repos[0]: missing required key "notify"']],
    ['missing required section', variant('version: 1\n', ''), ['1:1 missing required top-level key "version"']],
    ['secret written inline', variant('token: { env: GITEA_TOKEN }', 'token: s3cr3t-value'),
      ['4:10 gitea.token: a secret source is one of {env: NAME}, {pass: path}, {file: path}']],
    ['secret source with two forms', variant('token: { env: GITEA_TOKEN }', 'token: { env: A, pass: b }'),
      ['4:10 gitea.token: a secret source is one of {env: NAME}, {pass: path}, {file: path}']],
    ['secret source with a bad variable name', variant('token: { env: GITEA_TOKEN }', 'token: { env: gitea-token }'),
      ['4:17 gitea.token.env: must be an environment variable name (letters, digits and _)']],
    ['public_url elsewhere than /webhook/gitea', variant('monitor.example.com/webhook/gitea', 'monitor.example.com/hooks/gitea'),
      ['6:15 webhook.public_url: path must end in /webhook/gitea, where the receiver listens (got "/hooks/gitea")']],
    ['redis state without url', MINIMAL + 'state: { driver: redis }\n', ['16:18 state.driver: redis needs state.url (redis://host:6379)']],
    ['duplicate trigger names', MINIMAL + 'triggers:\n  - { name: dag, url: "http://a.example", secret: { env: T } }\n  - { name: dag, url: "http://b.example", secret: { env: T } }\n',
      ['18:13 triggers[1].name: duplicate trigger name "dag" (also triggers[0])']],
    ['event the hook never receives', variant('notify: [news]', 'notify: [news]\n    events: [push, release]').replace('secret: { env: WEBHOOK_SECRET }', 'secret: { env: WEBHOOK_SECRET }\n  events: [push]'),
      ['17:20 repos[0].events[1]: "release" never arrives: webhook.events does not subscribe to it']],
    ['event listed twice', variant('secret: { env: WEBHOOK_SECRET }', 'secret: { env: WEBHOOK_SECRET }\n  events: [push, create, push]'),
      ['8:26 webhook.events[2]: "push" is listed twice']],
    ['unknown event', variant('secret: { env: WEBHOOK_SECRET }', 'secret: { env: WEBHOOK_SECRET }\n  events: [pushh]'),
      ['8:12 webhook.events[0]: must be one of push, create, delete, release, repository, fork, wiki, issues, issue_comment, pull_request, package, status, workflow_run, workflow_job (got "pushh")']],
    ['bad room key', variant('    news: "#news:example.com"', '    news: "#news:example.com"\n    "my room": "#x:example.com"'),
      ['13:5 matrix.rooms: key "my room" must be a name of letters, digits, _, . and - (not starting with . or -)']],
    ['empty file', '', ['1:1 the file is empty']],
    ['not a mapping', '- a\n- b\n', ['1:1 the file must be a mapping of settings (version, gitea, webhook, ...)']],
  ];

  it.each(cases)('%s', (_name, text, expected) => {
    expect(check(text)).toEqual(expected);
  });

  it('reports several problems at once, in file order, one per setting', () => {
    const text = variant('version: 1', 'version: 2')
      .replace('notify: [news]', 'notify: [news, alerts]')
      .replace('match: dataforge/*', 'match: dataforge/[api')
      .concat('rate_limit: { window: soon }\nreconcile: { interval: soon, prune: yes }\n');
    expect(check(text)).toEqual([
      '1:10 version: must be 1',
      '14:12 repos[0].match: is not a valid glob: "[" is never closed by "]" (write \\[ for a literal "[")',
      '15:20 repos[0].notify[1]: unknown room "alerts" (matrix.rooms has: news)',
      // the schema's duration message only: the duration parser's own complaint would repeat it
      '16:23 rate_limit.window: must be a duration such as 60s, 5m or 1h (units ms, s, m, h, d)',
      '17:24 reconcile.interval: must be a duration such as 60s, 5m or 1h (units ms, s, m, h, d)',
      '17:37 reconcile.prune: must be true or false',
    ]);
  });

  it('never echoes a secret written inline into a message', () => {
    const text = variant('token: { env: GITEA_TOKEN }', 'token: { value: hunter2-inline }').replace('secret: { env: WEBHOOK_SECRET }', 'secret: hunter3-inline');
    const problems = checkConfigText(text, 'monitor.yaml');
    expect(problems.length).toBe(2);
    expect(JSON.stringify(problems)).not.toMatch(/hunter/);
  });
});
