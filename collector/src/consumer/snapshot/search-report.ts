/** The ops search report, written beside the popularity JSON and never published on the site. */
export interface SearchReport {
  schema: 1;
  generatedAt: string;
  asOf: number;
  kAnonymity: number;
  /** Queries that found nothing (content gaps), above the k-anonymity floor. */
  zeroResults: { query: string; searches: number; visitors: number }[];
}
