import { chromium, type Browser } from 'playwright-core';
import { visitorUserAgent } from './user-agents.ts';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface ChromiumOptions {
  /**
   * Set with Chromium's `--user-agent` flag, not only a context override: beacons sent while a
   * page unloads leave from the browser process with the launch UA ("HeadlessChrome"), which the
   * collector's bot filter rightly drops.
   */
  userAgent?: string;
  /** More command-line flags (e.g. `--remote-debugging-port=…` for Lighthouse). */
  args?: string[];
}

/**
 * Debian's Chromium (`CHROMIUM_PATH` overrides), headless, with the flags this machine needs (no
 * sandbox as root, no background traffic). The one place tests, Lighthouse and the e2e loop launch it.
 */
export function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...FLAGS, ...(options.userAgent ? [`--user-agent=${options.userAgent}`] : []), ...(options.args ?? [])],
  });
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
      browser = launchChromium({ userAgent: visitorUserAgent(visitor) });
      this.#browsers.set(visitor, browser);
    }
    return browser;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#browsers.values()].map(async (b) => (await b).close()));
    this.#browsers.clear();
  }
}
