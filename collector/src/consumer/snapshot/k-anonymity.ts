/**
 * The k-anonymity floor for anything published about searches: a query is shown only when at
 * least `k` distinct ORIGINS (client networks) searched it. Counting visitors instead would let
 * one address with k user agents publish any text, or confirm that a guessed sensitive query was
 * searched by a real person.
 */
export function meetsKAnonymity(distinctOrigins: number, k: number): boolean {
  return distinctOrigins >= k;
}
