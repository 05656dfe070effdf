// A worker thread's entry: lets Node load the TypeScript module named in
// workerData.entry through tsx (Node 20 does not pass the parent's --import
// tsx to worker threads), then imports it.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
