/** Kafka topic names, kept from the original HangarStack so existing consumers keep working. */
export const TOPICS = {
  /** Page views of aircraft pages, keyed by aircraft slug. */
  views: 'hangarstack.aircraft.views',
  /** Settled searches and result clicks, keyed by normalised query. */
  searches: 'hangarstack.search.queries',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
