import { persistentAtom } from '@nanostores/persistent';

/** Most aircraft the compare page shows side by side. */
export const COMPARE_LIMIT = 4;

/** The compare list (aircraft slugs), kept in localStorage and shared across tabs. */
export const $compare = persistentAtom<string[]>('hangar:compare', [], {
  encode: JSON.stringify,
  decode: (raw) => {
    try {
      const value: unknown = JSON.parse(raw);
      return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string').slice(0, COMPARE_LIMIT) : [];
    } catch {
      return [];
    }
  },
});

/** Adds or removes one aircraft; adding a fifth drops the oldest. */
export function toggleCompare(slug: string): void {
  const list = $compare.get();
  $compare.set(list.includes(slug) ? list.filter((s) => s !== slug) : [...list, slug].slice(-COMPARE_LIMIT));
}
