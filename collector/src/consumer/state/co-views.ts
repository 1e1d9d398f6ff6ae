import { hash53 } from './sketch.ts';

/**
 * Most distinct aircraft remembered per visitor per day. A visitor's day then yields at most
 * 12 × 11 / 2 = 66 pairs, so neither a long session nor a crawler that slipped past bot detection
 * makes the pair counts (or the state) grow without bound; aircraft beyond it add no pair.
 */
export const MAX_AIRCRAFT_PER_VISITOR_DAY = 12;

/** The key of an unordered pair: the two slugs in order, separated by a space (slugs have none). */
export const pairKey = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`);
export const pairOf = (key: string): [string, string] => key.split(' ') as [string, string];

/**
 * The aircraft each visitor viewed on each day still open: today and yesterday of event time (a
 * late view of yesterday still pairs with yesterday's set); older days are dropped, since their
 * pairs were counted when they happened. The user activity topic is keyed by visitor, so a
 * visitor's whole day is in one partition and this window sees all of it. Visitors are kept as
 * 53-bit hashes, at most `MAX_AIRCRAFT_PER_VISITOR_DAY` aircraft each.
 */
export class VisitorDayWindow {
  readonly #byDay = new Map<number, Map<number, string[]>>();

  /**
   * Adds `aircraft` to the visitor's set for `day`. Returns the aircraft it now pairs with (the set
   * before it), or null when nothing changed: already in the set, the set full, or the day closed.
   */
  add(visitor: string, aircraft: string, day: number, newestDay: number): { partners: string[]; remembered: [number, string] } | null {
    if (day < newestDay - 1) return null;
    let visitors = this.#byDay.get(day);
    if (!visitors) this.#byDay.set(day, (visitors = new Map()));
    const v = hash53(visitor);
    const seen = visitors.get(v) ?? [];
    if (seen.includes(aircraft) || seen.length >= MAX_AIRCRAFT_PER_VISITOR_DAY) return null;
    const partners = [...seen];
    seen.push(aircraft);
    visitors.set(v, seen);
    return { partners, remembered: [v, aircraft] };
  }

  /** Restores what one batch remembered (`encodeRemembered`). */
  load(day: number, bytes: Uint8Array): void {
    let visitors = this.#byDay.get(day);
    if (!visitors) this.#byDay.set(day, (visitors = new Map()));
    for (const line of new TextDecoder().decode(bytes).split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const v = Number(line.slice(0, tab));
      const aircraft = line.slice(tab + 1);
      const seen = visitors.get(v);
      if (!seen) visitors.set(v, [aircraft]);
      else if (!seen.includes(aircraft)) seen.push(aircraft);
    }
  }

  /** Forgets a day whose stored rows were all deleted (another member's, replayed from the changelog). */
  forget(day: number): void {
    this.#byDay.delete(day);
  }

  /** Forgets days before yesterday; returns them. */
  prune(newestDay: number): number[] {
    const dropped: number[] = [];
    for (const day of this.#byDay.keys()) {
      if (day < newestDay - 1) {
        this.#byDay.delete(day);
        dropped.push(day);
      }
    }
    return dropped;
  }

  /** Visitor-day sets held (for tests and the bench). */
  get size(): number {
    let n = 0;
    for (const visitors of this.#byDay.values()) n += visitors.size;
    return n;
  }
}

export const encodeRemembered = (entries: readonly [number, string][]): Uint8Array => new TextEncoder().encode(entries.map(([v, a]) => `${v}\t${a}`).join('\n'));

