// matrix sign-in is a token or user + password (never both, never neither); display name and avatar.
import { expect, it } from 'vitest';
import { checkConfigText } from '../../src/config/load.ts';

const text = (matrix: string) => `version: 1
gitea: { url: https://git.example.com, token: { env: GITEA_TOKEN } }
webhook: { public_url: https://monitor.example.com/webhook/gitea, secret: { env: WEBHOOK_SECRET } }
matrix:
  homeserver: https://matrix.example.com
${matrix}
  rooms: { news: "#news:example.com" }
repos: [{ match: dataforge/*, notify: [news] }]
`;
const check = (m: string) => checkConfigText(text(m), 'monitor.yaml').map((p) => `${p.line}:${p.col} ${p.message}`);

it('accepts a token, or user + password with a display name and an mxc avatar', () => {
  expect(check('  access_token: { env: MATRIX_TOKEN }')).toEqual([]);
  expect(check('  user: "@bot:example.com"\n  password: { env: MATRIX_PASSWORD }\n  display_name: Release bot\n  avatar_url: mxc://example.com/AbCd')).toEqual([]);
  expect(check('  user: bot\n  password: { pass: matrix/bot }')).toEqual([]);
});

it('refuses both, neither, a user without password, and an avatar that is not mxc://', () => {
  expect(check('  access_token: { env: MATRIX_TOKEN }\n  user: bot\n  password: { env: P }')).toEqual([expect.stringMatching(/^8:13 .*not both/)]);
  expect(check('  msgtype: m.notice')).toEqual([expect.stringMatching(/^5:3 .*matrix.access_token, or matrix.user \+ matrix.password/)]);
  expect(check('  user: bot').join('\n')).toMatch(/password/);
  expect(check('  access_token: { env: T }\n  avatar_url: https://example.com/a.png')).toEqual(['7:15 matrix.avatar_url: must be an mxc:// URI (mxc://server/media-id)']);
});

it('rooms are a string or {alias | id, allow_unencrypted}', () => {
  const rooms = (entry: string) => checkConfigText(text('  access_token: { env: T }').replace('  rooms: { news: "#news:example.com" }', `  rooms:\n    news: ${entry}`), 'monitor.yaml').map((p) => `${p.line}:${p.col} ${p.message}`);
  expect(rooms('"#news:example.com"')).toEqual([]);
  expect(rooms('{ alias: "#news:example.com", allow_unencrypted: true }')).toEqual([]);
  expect(rooms('{ id: "!abc:example.com" }')).toEqual([]);
  expect(rooms('{ allow_unencrypted: true }')).toEqual(['8:11 matrix.rooms.news: give either alias or id']);
  expect(rooms('{ alias: "#a:x", id: "!b:x" }')).toEqual(['8:11 matrix.rooms.news: give either alias or id']);
  expect(rooms('{ alias: "news" }')).toEqual(['8:20 matrix.rooms.news.alias: must be a room alias (#name:server)']);
  expect(rooms('"news"')).toEqual(['8:11 matrix.rooms.news: must be a room alias (#name:server) or a room id (!id:server)']);
});
