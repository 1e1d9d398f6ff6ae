/**
 * The user agent tests and the bench send: a current desktop Chrome, which `isbot` lets through
 * (a bot's beacon is answered 2xx and dropped, so a bot-looking agent would make every test vacuous).
 */
export const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A realistic, non-bot desktop Chrome user agent, distinct per visitor number (the visitor id hashes it). */
export function visitorUserAgent(visitor: number): string {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${6000 + visitor}.85 Safari/537.36`;
}
