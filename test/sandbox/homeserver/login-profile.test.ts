// Password login (m.login.password) and profiles on the stand-in, as the spec describes them.
import { describe, expect, it } from 'vitest';
import { ALICE, V3, start } from './setup.ts';

const PW = { token: 'tok-pw', userId: '@pw:localhost', deviceId: 'PWDEV', password: 'correct horse' };
const login = (user: string, password: string, device?: string) => ({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password, ...(device ? { device_id: device } : {}) });

describe('login', () => {
  it('mints a device and token, keeps a given device_id, refuses a wrong password', async () => {
    const s = await start({ users: [PW, ALICE] });
    expect((await s.call('GET', `${V3}/login`)).body.flows).toContainEqual({ type: 'm.login.password' });
    const a = await s.call('POST', `${V3}/login`, { body: login('pw', PW.password) });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ user_id: PW.userId, device_id: expect.any(String), access_token: expect.any(String) });
    expect((await s.call('GET', `${V3}/account/whoami`, { token: a.body.access_token })).body).toMatchObject({ user_id: PW.userId, device_id: a.body.device_id });
    const b = await s.call('POST', `${V3}/login`, { body: login(PW.userId, PW.password, a.body.device_id) });
    expect(b.body.device_id).toBe(a.body.device_id);
    expect(b.body.access_token).not.toBe(a.body.access_token);
    expect((await s.call('POST', `${V3}/login`, { body: login('pw', 'wrong') })).body.errcode).toBe('M_FORBIDDEN');
    expect((await s.call('POST', `${V3}/login`, { body: login('alice', 'x') })).status).toBe(403); // no password set
    s.hs.revokeToken(b.body.access_token);
    expect((await s.call('GET', `${V3}/account/whoami`, { token: b.body.access_token })).body.errcode).toBe('M_UNKNOWN_TOKEN');
  });
});

describe('profile', () => {
  it('sets and reads the own display name and mxc avatar; not another user', async () => {
    const s = await start({ users: [PW, ALICE] });
    const id = encodeURIComponent(PW.userId);
    expect((await s.call('GET', `${V3}/profile/${id}`)).status).toBe(404);
    expect((await s.call('PUT', `${V3}/profile/${id}/displayname`, { token: PW.token, body: { displayname: 'Release bot' } })).status).toBe(200);
    expect((await s.call('PUT', `${V3}/profile/${id}/avatar_url`, { token: PW.token, body: { avatar_url: 'mxc://localhost/abc' } })).status).toBe(200);
    expect((await s.call('GET', `${V3}/profile/${id}`)).body).toEqual({ displayname: 'Release bot', avatar_url: 'mxc://localhost/abc' });
    expect((await s.call('GET', `${V3}/profile/${id}/displayname`)).body).toEqual({ displayname: 'Release bot' });
    expect((await s.call('PUT', `${V3}/profile/${id}/displayname`, { token: ALICE.token, body: { displayname: 'x' } })).status).toBe(403);
    expect((await s.call('PUT', `${V3}/profile/${id}/avatar_url`, { token: PW.token, body: { avatar_url: 'https://x/y.png' } })).status).toBe(400);
  });
});
