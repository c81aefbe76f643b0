// Which tables and indexes the commits of a run wrote: the WAL's frames by b-tree (SQLite's dbstat),
// per delivery. Every frame is a page written twice (header, page) by a COMMIT and copied again by
// a checkpoint: the random-key indexes are what a delivery costs on disk.
//   node bench/wal-pages.ts FILE.db      (FILE.db-wal next to it, e.g. from bench/processing.ts --keep)
import { readFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

const file = process.argv[2];
if (!file) throw new Error('usage: node bench/wal-pages.ts FILE.db');
const wal = readFileSync(`${file}-wal`);
const pageSize = wal.readUInt32BE(8);
const frames: number[] = [];
for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) frames.push(wal.readUInt32BE(off));
const db = new DatabaseSync(file, { readOnly: true });
const owner = new Map((db.prepare('SELECT name, pageno, pagetype FROM dbstat').all() as Array<{ name: string; pageno: number; pagetype: string }>).map((r) => [r.pageno, r.pagetype === 'internal' ? `${r.name} (interior)` : r.name]));
const deliveries = Number((db.prepare('SELECT COUNT(*) AS n FROM monitor_deliveries').get() as { n: number }).n);
const by = new Map<string, number>();
for (const p of frames) by.set(owner.get(p) ?? '(free or other)', (by.get(owner.get(p) ?? '(free or other)') ?? 0) + 1);
console.log(`${frames.length} frames for ${deliveries} deliveries: ${(frames.length / deliveries).toFixed(2)} per delivery`);
for (const [name, count] of [...by].sort((a, b) => b[1] - a[1])) console.log(`${(count / deliveries).toFixed(2).padStart(6)}  ${name}`);
db.close();
