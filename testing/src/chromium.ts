import { chromium, type Browser } from 'playwright-core';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no background traffic). */
export function launchChromium(userAgent?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: userAgent ? [...FLAGS, `--user-agent=${userAgent}`] : FLAGS,
  });
}

/** A realistic, non-bot desktop Chrome user agent, distinct per visitor number. */
export function visitorUserAgent(visitor: number): string {
  return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.${6000 + visitor}.85 Safari/537.36`;
}

/**
 * Browsers that look like distinct, ordinary visitors. The collector's visitor id hashes IP and
 * user agent, and every test visitor comes from 127.0.0.1, so each gets its own user agent.
 * It is set with Chromium's `--user-agent` flag, not a Playwright context override: beacons sent
 * while a page unloads bypass the override and would carry "HeadlessChrome", which the
 * collector's bot filter rightly drops.
 */
export class Visitors {
  readonly #browsers = new Map<number, Promise<Browser>>();

  browser(visitor: number): Promise<Browser> {
    let browser = this.#browsers.get(visitor);
    if (!browser) {
      browser = launchChromium(visitorUserAgent(visitor));
      this.#browsers.set(visitor, browser);
    }
    return browser;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#browsers.values()].map(async (b) => (await b).close()));
    this.#browsers.clear();
  }
}
