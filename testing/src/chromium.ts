import { chromium, type Browser } from 'playwright-core';
import { startForwardingProxy, type ForwardingProxy } from './forwarding-proxy.ts';
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

/** A documentation-range address (RFC 5737) per visitor number: where visitor `n` "comes from". */
export function visitorAddress(visitor: number): string {
  return `198.51.100.${(visitor % 254) + 1}`;
}

/**
 * Browsers that look like distinct, ordinary visitors, each from its own address. The collector
 * counts at most a few visitors per client address, and every test browser runs on 127.0.0.1:
 * so each visitor's browser goes through its own forwarding proxy that appends the visitor's
 * address to X-Forwarded-For, as a real reverse proxy would, and the collector under test trusts
 * loopback proxies (`TRUSTED_PROXIES=loopback`). Each also gets its own user agent.
 */
export class Visitors {
  readonly #browsers = new Map<number, Promise<{ browser: Browser; proxy: ForwardingProxy }>>();

  browser(visitor: number): Promise<Browser> {
    let started = this.#browsers.get(visitor);
    if (!started) {
      started = startForwardingProxy(visitorAddress(visitor)).then(async (proxy) => ({
        proxy,
        // Chromium sends loopback requests direct unless the bypass list says otherwise.
        browser: await launchChromium({ userAgent: visitorUserAgent(visitor), args: [`--proxy-server=${proxy.url}`, '--proxy-bypass-list=<-loopback>'] }),
      }));
      this.#browsers.set(visitor, started);
    }
    return started.then((s) => s.browser);
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.#browsers.values()].map(async (s) => {
        const { browser, proxy } = await s;
        await browser.close();
        await proxy.close();
      }),
    );
    this.#browsers.clear();
  }
}
