/**
 * A worker thread of FeaturePool (feature-pool.ts): fingerprints the texts it
 * is sent with originalFeatures and sends the features back, their arrays
 * transferred, in the order it got the texts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDictionary } from '../translate/load-dictionary';
import { originalFeatures, type OriginalFeatures } from './stream-build';
import type { FeatureJob, FeatureReply, FeatureWorkerData } from './feature-pool';

const data = workerData as FeatureWorkerData;
const opts = { params: data.params, rewrite: data.rewrite, translate: data.dictionary === undefined ? undefined : loadDictionary(data.dictionary) };

function buffers(f: OriginalFeatures): ArrayBuffer[] {
  return [f.distinct, f.sketch, f.wording, f.keys].filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer);
}

parentPort!.on('message', (job: FeatureJob) => {
  let reply: FeatureReply;
  try {
    const features = job.texts.map((t) => originalFeatures(t, opts));
    reply = { seq: job.seq, features };
    parentPort!.postMessage(reply, features.flatMap(buffers));
  } catch (e) {
    reply = { seq: job.seq, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    parentPort!.postMessage(reply);
  }
});
