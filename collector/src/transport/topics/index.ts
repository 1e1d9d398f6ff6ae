export { applyTopics, type ApplyResult } from './apply.ts';
export { DEFAULT_MANIFEST_PATH, desiredTopics, loadTopicManifest, retentionMs, type TopicManifest } from './manifest.ts';
export { runTopicsCommand } from './main.ts';
