// Hot reload through a real `monitor serve` process: an editor's atomic save, a write in place, a
// Kubernetes-style `..data` symlink swap and SIGHUP each reload within 2 s without a restart (same
// pid), and the next push follows the new routing; an invalid edit keeps the old config (a push
// still works) and sets the failure metric.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdirSync, readFileSync, renameSync, symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOM, startWorld, type World } from '../helpers/world.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';

let w: World;
let s: ServeProcess;
const OTHER = '#ops:localhost';

beforeEach(async () => {
  w = await startWorld({ window: '1s' });
  w.hs.addRoom({ alias: OTHER });
  await w.installHooks();
});
afterEach(async () => {
  s?.child.kill('SIGTERM');
  await s?.exited;
  await w.close();
});

const reloaded = (n: number) => (l: Record<string, unknown>) => l.msg === 'config reloaded' && s.lines.filter((x) => x.msg === 'config reloaded').length >= n;
/** The same config, but dataforge/web's notices go to #ops instead. */
function rerouted(text: string): string {
  return text
    .replace('rooms: { news: "#fn-registry-news:localhost" }', `rooms: { news: "#fn-registry-news:localhost", ops: "${OTHER}" }`)
    .replace('  - { match: dataforge/*, exclude: [dataforge/sandbox-*], notify: [news] }', '  - { match: dataforge/*, exclude: [dataforge/sandbox-*, dataforge/web], notify: [news] }\n  - { match: dataforge/web, notify: [ops] }');
}
async function webGoesTo(room: string, count: number) {
  await w.gitea.push('dataforge/web', { pusher: 'alice' });
  await w.hs.waitForMessages(room, count, 3000);
}
async function metric(name: string): Promise<number> {
  const text = await (await fetch(s.url + '/metrics')).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
}

it('an editor-style atomic save (write temp + rename) reloads without a restart', async () => {
  s = await startServe(w);
  const pid = s.child.pid;
  const tmp = join(w.dir, '.monitor.yaml.swp');
  writeFileSync(tmp, rerouted(readFileSync(w.configFile, 'utf8')));
  renameSync(tmp, w.configFile);
  await s.waitForLog(reloaded(1), 2000);
  await webGoesTo(OTHER, 1);
  expect(s.child.pid).toBe(pid);
  expect(s.child.exitCode).toBeNull();
  expect(await metric('monitor_config_last_reload_successful')).toBe(1);
});

it('a write in place reloads, and an invalid edit keeps the running config', async () => {
  s = await startServe(w);
  writeFileSync(w.configFile, rerouted(readFileSync(w.configFile, 'utf8')));
  await s.waitForLog(reloaded(1), 2000);
  writeFileSync(w.configFile, readFileSync(w.configFile, 'utf8').replace('notify: [ops]', 'notify: [nowhere]'));
  const failed = await s.waitForLog((l) => String(l.msg).startsWith('config reload failed'), 2000);
  expect(String(failed.error)).toMatch(/monitor\.yaml:\d+:\d+ .*nowhere/);
  expect(await metric('monitor_config_last_reload_successful')).toBe(0);
  await webGoesTo(OTHER, 1); // the last good config still routes
  const health = await (await fetch(s.url + '/webhook/health')).json();
  expect(health.reload).toMatchObject({ ok: false });
});

it('a Kubernetes ConfigMap update (..data symlink swap) reloads', async () => {
  // Lay the folder out the way the kubelet does: monitor.yaml -> ..data/monitor.yaml, ..data -> ..v1
  const text = readFileSync(w.configFile, 'utf8');
  unlinkSync(w.configFile);
  mkdirSync(join(w.dir, '..v1'));
  writeFileSync(join(w.dir, '..v1', 'monitor.yaml'), text);
  symlinkSync('..v1', join(w.dir, '..data'));
  symlinkSync('..data/monitor.yaml', w.configFile);
  s = await startServe(w);
  const pid = s.child.pid;
  mkdirSync(join(w.dir, '..v2'));
  writeFileSync(join(w.dir, '..v2', 'monitor.yaml'), rerouted(text));
  symlinkSync('..v2', join(w.dir, '..data_tmp'));
  renameSync(join(w.dir, '..data_tmp'), join(w.dir, '..data'));
  await s.waitForLog(reloaded(1), 2000);
  await webGoesTo(OTHER, 1);
  expect(s.child.pid).toBe(pid);
});

it('SIGHUP reloads', async () => {
  s = await startServe(w);
  // Change the file without the watcher seeing a difference yet: SIGHUP forces the reload.
  writeFileSync(w.configFile, rerouted(readFileSync(w.configFile, 'utf8')));
  s.child.kill('SIGHUP');
  await s.waitForLog((l) => l.msg === 'config reloaded' && (l.reason === 'SIGHUP' || l.reason === 'file change'), 2000);
  await webGoesTo(OTHER, 1);
  expect(s.child.exitCode).toBeNull();
});
