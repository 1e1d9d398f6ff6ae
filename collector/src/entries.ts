/**
 * Where the two services start, for whoever runs them as processes (`./hangar start`, the
 * end-to-end tests, the bench): one place, so a move never leaves a stale path behind.
 */
import { fileURLToPath } from 'node:url';

/** `node <collectorEntry>`: the beacon collector. */
export const collectorEntry = fileURLToPath(new URL('./ingest/main.ts', import.meta.url));
/** `node <consumerEntry>`: the popularity consumer. */
export const consumerEntry = fileURLToPath(new URL('./consumer/main.ts', import.meta.url));
