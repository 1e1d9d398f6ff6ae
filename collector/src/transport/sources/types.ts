/** A stream of records feeding the engine: Kafka (a consumer group) or the embedded log. */
export interface EventSource {
  start(): Promise<void>;
  /** Lag per `topic:partition` this instance owns (records not yet applied). */
  lag(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}
