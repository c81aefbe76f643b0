// Which paths a folder watch reports can change the config (the reloader ignores the rest before
// chokidar stats them: a log file next to monitor.yaml cost a stat and a reload attempt per line).
import { expect, it } from 'vitest';
import { concernsConfig, watchedFolders } from '../../src/runtime/config-files.ts';

const files = ['/etc/monitor/monitor.yaml', '/etc/monitor/secrets/hook-secret'];

it('watches the folders of the config and of its secret files', () => {
  expect(watchedFolders(files)).toEqual(['/etc/monitor', '/etc/monitor/secrets']);
});

it('the config, its secret files, their folders and Kubernetes ..data swaps concern it; neighbours do not', () => {
  for (const p of ['/etc/monitor/monitor.yaml', '/etc/monitor/secrets/hook-secret', '/etc/monitor', '/etc/monitor/..data', '/etc/monitor/..2026_12_02_07_00_00.123', '/etc/monitor/secrets/../monitor.yaml'])
    expect(concernsConfig(p, files), p).toBe(true);
  for (const p of ['/etc/monitor/monitor.log', '/etc/monitor/data', '/etc/monitor/data/monitor.db-wal', '/etc/monitor/.monitor.yaml.swp', '/etc/monitor/monitor.yaml~', '/etc/monitor/secrets/other'])
    expect(concernsConfig(p, files), p).toBe(false);
});
