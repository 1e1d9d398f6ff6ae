export { readCatalogue, recordDigest } from './catalogue.ts';
export { diffCatalogue } from './diff.ts';
export { DataUpdatesFollower } from './follower.ts';
export { describeUpdate, publishDataUpdates } from './publish.ts';
export { readPublished, type DataUpdatesLocation } from './store.ts';
export { publishFromEnv } from './publish-env.ts';
