/**
 * A long-lived render worker: keeps one build's server bundle loaded between popularity-only
 * rebuilds, so a rebuild does not pay for importing the bundle and its data layer (about a
 * second, most of a popularity-only rebuild) every time. build-and-swap starts it detached
 * after a swap (render-worker-client.ts) and renders through it while the live build has the
 * data and code digests the worker was started for.
 *
 *   node site/scripts/render-worker.ts <buildDir> <workerDir>
 *
 * It serves the bundle's @astrojs/node handler on `<workerDir>/render.sock` (the on-demand twins
 * under /hangar-render) and reads popularity from `<workerDir>/popularity.json`, which the
 * rebuild holding the build lock renames into place before it renders (lib/popularity.ts
 * re-reads the file when it changes). The bundle is loaded from a hard-linked copy of the
 * build's server/ inside `<workerDir>`, because the bundle imports its page chunks lazily and
 * the build it came from is pruned a few rebuilds later.
 *
 * It exits, removing its directory, when nothing asked it to render for RENDER_WORKER_IDLE_MS,
 * when the live build no longer has its digests (a full build makes a new bundle), or when the
 * live dir is gone (a test's temp dir).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readRecord } from './build-record.ts';
import { currentBuild } from './live-dir.ts';
import { hardLinkTree } from './hard-link-tree.ts';
import { getOverSocket } from './render-worker-client.ts';
import { SPARE_PATH, workerKey, workerPaths } from './render-worker-paths.ts';
import { prepareSpare } from './spare-copy.ts';
import { siteConfig } from '../src/lib/config.ts';
import { RENDER_PREFIX } from '../src/lib/render-route.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void> | void;

const [buildArg, workerArg] = process.argv.slice(2);
if (!buildArg || !workerArg) {
  console.error('usage: node site/scripts/render-worker.ts <buildDir> <workerDir>');
  process.exit(2);
}
const buildDir: string = buildArg;
const workerDir: string = workerArg;
const config = siteConfig();
const paths = workerPaths(workerDir);
const record = readRecord(buildDir);
if (!record) {
  console.error(`${buildDir} has no build record; a render worker serves only builds made by build-and-swap.`);
  process.exit(1);
}
const key = workerKey(record);
const liveCurrent = join(config.liveDir, 'current');

// The bundle reads its popularity from here (set before it is imported: it parses its config once).
process.env.POPULARITY_FILE = paths.popularity;
// The catalogue as the data dir has it (the worker's key includes the data digest): after a
// data-change rebuild the bundle's own content layer is older than the live pages.
process.env.HANGAR_CATALOGUE = 'files';
// Explicit: the bundle's own default is relative to its chunk's place, not to the repository.
process.env.HANGAR_DATA_DIR = config.dataDir;
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
// Inside a directory named `server`: @astrojs/node finds its client dir by walking up to it.
const serverCopy = join(workerDir, String(process.pid), 'server');
try {
  // Not recursive: ensureRenderWorker made workerDir before spawning this process, so a missing
  // one means the live dir was removed while this worker started (a test stopping its stack, or
  // a second worker for the same build spawned by a back-to-back swap); re-creating it would
  // bring the deleted live dir back.
  mkdirSync(dirname(serverCopy));
} catch (error) {
  console.error(`render worker ${process.pid} exits: cannot make its directory (${(error as Error).message})`);
  process.exit(0);
}
await hardLinkTree(join(buildDir, 'server'), serverCopy, []);
const { handler } = (await import(pathToFileURL(join(serverCopy, 'entry.mjs')).href)) as { handler: Handler };

/** Makes the spare copy of the live build (spare-copy.ts), one at a time, newest request wins. */
let spareWanted: string | undefined;
let spareRunning = false;
async function makeSpares(): Promise<void> {
  if (spareRunning) return;
  spareRunning = true;
  while (spareWanted) {
    const build = spareWanted;
    spareWanted = undefined;
    if (currentBuild(liveCurrent) !== build) continue;
    await prepareSpare(build).catch((error: Error) => console.error(`could not prepare a spare copy of ${build}: ${error.message}`));
  }
  spareRunning = false;
}

let lastUsed = Date.now();
const server = createServer((req, res) => {
  lastUsed = Date.now();
  if (req.url?.startsWith(SPARE_PATH)) {
    // build-and-swap after a swap: `?build=<dir>`, answered at once, linked in the background.
    spareWanted = new URL(req.url, 'http://worker').searchParams.get('build') ?? undefined;
    void makeSpares();
    res.writeHead(202).end();
    return;
  }
  void handler(req, res, () => res.writeHead(404).end());
});

let stopping = false;
function stop(why: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`render worker ${process.pid} exits: ${why}`);
  server.close();
  rmSync(workerDir, { recursive: true, force: true });
  process.exit(0);
}

server.once('error', (error) => {
  // Another worker for the same build got the socket first: it serves, this one leaves.
  console.error(`render worker ${process.pid} cannot listen on ${paths.socket}: ${error.message}`);
  rmSync(join(workerDir, String(process.pid)), { recursive: true, force: true });
  process.exit(0);
});
await new Promise<void>((listening) => server.listen(paths.socket, listening));
// Import the twins' page chunks and the data layer now, not in the first rebuild that asks.
for (const route of ['/', '/popular/', '/popularity.json', ...record.slugs.slice(0, 1).map((s) => `/aircraft/${s}/`)]) {
  const { status } = await getOverSocket(paths.socket, `${RENDER_PREFIX}${route}`);
  if (status !== 200) console.error(`warming up ${route} answered ${status}`);
}
console.log(`render worker ${process.pid} serves ${buildDir}'s bundle on ${paths.socket}`);
spareWanted ??= buildDir;
void makeSpares();

// Why poll: the worker is detached from whoever started it, and nothing else tells it that a
// full build replaced its bundle or that a test removed the live dir.
setInterval(() => {
  if (Date.now() - lastUsed > config.renderWorkerIdleMs) return stop('idle');
  const live = currentBuild(liveCurrent);
  if (!live) return stop('the live dir is gone');
  const liveRecord = readRecord(live);
  if (!liveRecord || workerKey(liveRecord) !== key) stop('the live build has other data or code');
}, 1_000).unref();
