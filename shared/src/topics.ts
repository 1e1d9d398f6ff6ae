/**
 * Kafka topic names, kept from the original HangarStack so existing consumers keep working.
 * Partitions, retention, cleanup policy and keys of every topic: deploy/kafka/topics.json.
 */
export const TOPICS = {
  /** Page views of aircraft pages, keyed by aircraft slug. */
  views: 'hangarstack.aircraft.views',
  /** Settled searches and result clicks (with the facet filters applied), keyed by normalised query (a filter-only search by its filters). */
  searches: 'hangarstack.search.queries',
  /** Every page view (kind, referrer host, entry page), keyed by visitor. */
  activity: 'hangarstack.user.activity',
  /** Added, changed and removed aircraft and manufacturers, keyed `<kind>:<slug>` (compacted). */
  dataUpdates: 'hangarstack.data.updates',
  /** Operational events of the collector, consumer and rebuilder, keyed by service. */
  systemEvents: 'hangarstack.system.events',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
