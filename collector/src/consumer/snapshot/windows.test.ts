import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hangarstack/testing/seeded-random';
import { DAY, HOUR, T0, viewAt } from '../../../test/support/records.ts';
import { HOURLY_HOURS, PartitionState } from '../state/partition-state.ts';
import type { StateRow } from '../state/rows.ts';
import { Sketch, SketchUnion } from '../state/sketch.ts';
import { ClosedDays } from './closed-days.ts';
import { WINDOWS, aircraftWindows } from './windows.ts';

const SLUGS = ['concorde', 'a380', 'spitfire', 'b-52'];
const options = { dedupHours: 1, maxVisitorsPerOrigin: 3 };

/** The windows counted straight from per-hour sketches of what was applied (no fold, no packing). */
function reference(views: readonly { slug: string; visitor: string; hour: number }[], asOfHour: number) {
  const byHour = new Map<string, Map<number, { views: number; sketch: Sketch }>>();
  for (const v of views) {
    let hours = byHour.get(v.slug);
    if (!hours) byHour.set(v.slug, (hours = new Map()));
    let h = hours.get(v.hour);
    if (!h) hours.set(v.hour, (h = { views: 0, sketch: new Sketch() }));
    h.views++;
    h.sketch.add(v.visitor);
  }
  const out = new Map<string, { views: number[]; visitors: number[]; daily: number[] }>();
  const union = new SketchUnion();
  for (const [slug, hours] of byHour) {
    const count = (from: number, to: number) => {
      union.clear();
      let n = 0;
      for (const [hour, h] of hours) {
        if (hour < from || hour > to) continue;
        n += h.views;
        union.add(h.sketch);
      }
      return [n, union.count()] as const;
    };
    const windows = [WINDOWS.h24, WINDOWS.d7, WINDOWS.d30].map((w) => count(asOfHour - w + 1, asOfHour));
    if ((windows[2] as readonly number[])[0] === 0) continue;
    const daily = Array.from({ length: 7 }, (_, d) => count(asOfHour - 24 * (d + 1) + 1, asOfHour - 24 * d)[1]);
    out.set(slug, { views: windows.map((w) => w[0]), visitors: windows.map((w) => w[1]), daily });
  }
  return out;
}

function windowsOf(states: PartitionState[], asOfHour: number, closedDays?: ClosedDays) {
  const { aircraft, dailyVisitors } = aircraftWindows(states, asOfHour, closedDays);
  return new Map(
    [...aircraft].map(([slug, a]) => [slug, { views: [a.views.h24, a.views.d7, a.views.d30], visitors: [a.visitors.h24, a.visitors.d7, a.visitors.d30], daily: dailyVisitors.get(slug) }]),
  );
}

describe('aircraftWindows over folded days', () => {
  it('counts what per-hour sketches count, at every day of a 40-day stream, with late views, with and without the closed-day cache, and after a restore (seeded random)', () => {
    const random = seededRandom(2026);
    const state = new PartitionState('views:0', options);
    const applied: { slug: string; visitor: string; hour: number }[] = [];
    const rows: StateRow[] = [];
    const closed = new ClosedDays();
    let at = T0;
    for (let day = 0; day < 40; day++) {
      for (let i = 0; i < 400; i++) {
        at += Math.floor(random() * 0.1 * DAY / 40);
        // Some views arrive late, up to 12 days (into a day already folded).
        const when = random() < 0.05 ? at - Math.floor(random() * 12 * DAY) : at;
        const slug = SLUGS[Math.floor(random() * random() * SLUGS.length)] as string;
        const visitor = `v${Math.floor(random() * 3_000)}`;
        const record = viewAt(slug, visitor, when);
        // What the engine does for every view it applies.
        closed.changed(Math.floor(when / HOUR));
        if (state.apply(record, at) === 'applied') applied.push({ slug, visitor: record.visitor, hour: Math.floor(when / HOUR) });
        if (i % 100 === 99) rows.push(...state.commit(String(day * 400 + i)));
      }
      const asOfHour = Math.floor(state.watermark / HOUR);
      const want = reference(applied, asOfHour);
      expect(windowsOf([state], asOfHour)).toEqual(want);
      expect(windowsOf([state], asOfHour, closed)).toEqual(want);
    }
    expect(closed.size).toBeGreaterThan(15);
    const newestHour = Math.floor(state.watermark / HOUR);
    expect(state.aircraftDays.size).toBeGreaterThan(20);
    for (const hour of state.aircraft.keys()) expect(hour).toBeGreaterThan(newestHour - HOURLY_HOURS - 24);
    const restored = new PartitionState('views:0', options);
    const latest = new Map(rows.map((r) => [`${r.kind}|${r.bucket}|${r.item}`, r]));
    for (const r of latest.values()) if (r.value) restored.load(r);
    expect(windowsOf([restored], newestHour)).toEqual(windowsOf([state], newestHour));
    // The 30-day window's first day is read from the hour it starts at, hour by hour.
    for (let back = 0; back < 30; back++) {
      const want = reference(applied, newestHour + back);
      expect(windowsOf([restored], newestHour + back)).toEqual(want);
      expect(windowsOf([restored], newestHour + back, closed)).toEqual(want);
    }
  });
});
