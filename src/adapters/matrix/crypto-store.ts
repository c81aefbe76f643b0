// A persistent crypto store for Node. matrix-js-sdk's Rust crypto keeps its store in IndexedDB
// (encrypted with a passphrase); Node has none, so fake-indexeddb provides it in memory and this
// module saves every database to one file under the data folder (and loads it at start). The
// values are already encrypted by the store with the passphrase; the file is written 0600 and
// atomically (temp file + rename), so a crash never leaves half a store.
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';

interface StoreDump {
  name: string;
  version: number;
  stores: Array<{ name: string; keyPath: string | string[] | null; autoIncrement: boolean; indexes: Array<{ name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }>; keys: IDBValidKey[]; values: unknown[] }>;
}

const done = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
const committed = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => ((tx.oncomplete = () => resolve()), (tx.onerror = () => reject(tx.error))));

/** Installs IndexedDB (fake-indexeddb) on globalThis if the runtime has none. */
export async function ensureIndexedDb(): Promise<void> {
  const auto = 'fake-indexeddb/auto'; // a side-effect entry without types: it sets globalThis.indexedDB
  if (!('indexedDB' in globalThis)) await import(auto);
}

export async function saveStores(file: string, prefix: string): Promise<void> {
  const out: StoreDump[] = [];
  for (const { name, version } of await indexedDB.databases()) {
    if (!name?.startsWith(prefix) || version === undefined) continue;
    const db = await done(indexedDB.open(name, version));
    const names = [...db.objectStoreNames];
    const stores: StoreDump['stores'] = [];
    if (names.length) {
      const tx = db.transaction(names, 'readonly');
      for (const sn of names) {
        const st = tx.objectStore(sn);
        const indexes = [...st.indexNames].map((i) => ({ name: i, keyPath: st.index(i).keyPath, unique: st.index(i).unique, multiEntry: st.index(i).multiEntry }));
        stores.push({ name: sn, keyPath: st.keyPath, autoIncrement: st.autoIncrement, indexes, keys: await done(st.getAllKeys()), values: await done(st.getAll()) });
      }
    }
    db.close();
    out.push({ name, version, stores });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, serialize(out), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Replaces the process's databases named `prefix*` with the file's (the file is the only truth). */
export async function loadStores(file: string, prefix: string): Promise<boolean> {
  for (const { name } of await indexedDB.databases()) {
    if (!name?.startsWith(prefix)) continue;
    const del = indexedDB.deleteDatabase(name);
    await new Promise<void>((resolve, reject) => {
      del.onsuccess = () => resolve();
      del.onerror = () => reject(del.error);
      del.onblocked = () => reject(new Error(`crypto store ${name} is still open in this process`));
    });
  }
  if (!existsSync(file)) return false;
  for (const d of deserialize(readFileSync(file)) as StoreDump[]) {
    const open = indexedDB.open(d.name, d.version);
    open.onupgradeneeded = () => {
      for (const s of d.stores) {
        const st = open.result.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) st.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
      }
    };
    const db = await done(open);
    if (d.stores.length) {
      const tx = db.transaction(d.stores.map((s) => s.name), 'readwrite');
      for (const s of d.stores) s.values.forEach((v, i) => void (s.keyPath === null ? tx.objectStore(s.name).put(v, s.keys[i]) : tx.objectStore(s.name).put(v)));
      await committed(tx);
    }
    db.close();
  }
  return true;
}
