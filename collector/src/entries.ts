/**
 * Where the two services start, for whoever runs them as processes (`./hangar start`, the
 * end-to-end tests, the bench): one place, so a move never leaves a stale path behind.
 */
import { fileURLToPath } from 'node:url';

/** `node <collectorEntry>`: the beacon collector. */
export const collectorEntry = fileURLToPath(new URL('./ingest/main.ts', import.meta.url));
/** `node <consumerEntry>`: the popularity consumer. */
export const consumerEntry = fileURLToPath(new URL('./consumer/main.ts', import.meta.url));

/**
 * V8 options the consumer runs with, wherever it is started (`node ...consumerNodeArgs consumerEntry`;
 * the container image's CMD says the same, deploy/manifests.test.ts checks it). Node 24 lets the
 * young generation grow to 128 MB, and the stream allocates fast: a 2 MB semi-space keeps the
 * short-lived records small (the 1 M bench's peak RSS fell by ~80–100 MB) at no measured cost in
 * throughput. The old generation has no limit: a larger state must not hit one.
 */
export const consumerNodeArgs: readonly string[] = ['--max-semi-space-size=2'];
