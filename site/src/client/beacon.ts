import type { Beacon, BeaconEvent } from '@hangarstack/shared';

/**
 * The page beacon: queues events and sends them in one `text/plain` POST (no CORS preflight)
 * when the page is hidden or left. Nothing is queued under Do Not Track or Global Privacy
 * Control; no cookies; a failing collector is ignored, it never affects the page.
 * Types come from the shared contract; only types are imported, so the bundle stays tiny.
 */
type Draft = BeaconEvent extends infer E ? (E extends BeaconEvent ? Omit<E, 'id' | 'ts'> : never) : never;

const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
const optedOut = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
const url = `${__COLLECTOR_URL__}/v1/events`;
const queue: BeaconEvent[] = [];

/** Sends what is queued, in batches within the collector's 25-event limit. */
export function flush(): void {
  while (queue.length > 0) {
    const body = JSON.stringify({ v: 1, events: queue.splice(0, 25) } satisfies Beacon);
    try {
      if (!navigator.sendBeacon?.(url, new Blob([body], { type: 'text/plain' }))) {
        fetch(url, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'text/plain' } }).catch(() => {});
      }
    } catch {
      // The collector is optional; the page must not notice it is gone.
    }
  }
}

/**
 * Where this page view came from, for hangarstack.user.activity: the referrer's host only (never
 * its path or query) when it is another site's, and whether this page opened the visit.
 */
export function visit(): { ref?: string; entry: boolean } {
  let host = '';
  try {
    host = new URL(document.referrer).hostname;
  } catch {
    // No referrer (typed, bookmarked, or withheld by policy): a direct entry.
  }
  if (host === location.hostname) return { entry: false };
  return /^[a-z0-9.-]+$/.test(host) ? { ref: host, entry: true } : { entry: true };
}

/** Queues one event with a random id and the client clock. */
export function track(event: Draft): void {
  if (optedOut) return;
  queue.push({ ...event, id: crypto.randomUUID(), ts: Date.now() } as BeaconEvent);
}

addEventListener('pagehide', flush);
addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
