export { TOPICS, type TopicName } from './topics.ts';
