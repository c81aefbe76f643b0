// Entry of the storage-and-processing thread: V8's code cache first (a worker thread does not
// inherit the main thread's, and static imports would be compiled before any line here ran), then
// the thread itself (processing-thread.ts).
import module from 'node:module';

module.enableCompileCache?.();
await import('./processing-thread.ts');
