/**
 * ICAO Doc 8643 designator list → compact type entries (`data/types/<designator>.json`), one per
 * designator. Pure: `derive.ts` does the file I/O.
 */
import { TYPE_SOURCE, type TypeDesignator } from '@hangarstack/shared';

/** The list's shape: designator → [manufacturer and model, description such as "L2J", wake category]. */
export type IcaoTypes = Record<string, [string, string, string]>;

const KIND: Record<string, TypeDesignator['kind']> = { L: 'landplane', S: 'seaplane', A: 'amphibian', H: 'helicopter', G: 'gyroplane', R: 'tiltrotor' };
const ENGINE: Record<string, TypeDesignator['engineType']> = { J: 'jet', T: 'turboprop', P: 'piston', E: 'electric', R: 'rocket' };

/**
 * ICAO Doc 8643's special designators, which name no type (the list leaves their name empty).
 * The list's other empty-named entries (ground vehicles, towers…) get a generic text.
 */
const SPECIAL: Record<string, string> = {
  ZZZZ: 'No type designator assigned',
  GLID: 'Glider',
  ULAC: 'Ultralight aircraft',
  UHEL: 'Ultralight helicopter',
  GYRO: 'Gyroplane',
  BALL: 'Balloon',
  SHIP: 'Airship',
};

/** A manufacturer word: upper case, no digits, at least two letters ("BOEING", "M&D", "KREIDER_REISNER"). */
const isMakerWord = (word: string): boolean => /^[A-Z&.'/()_-]+$/.test(word) && (word.match(/[A-Z]/g) ?? []).length >= 2;

/** "BOEING 737-800" → ["BOEING", "737-800"]: ICAO writes the manufacturer in capitals, then the model. */
export function splitName(name: string): { manufacturer?: string; model: string } {
  const words = name.trim().split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && isMakerWord(words[i] as string)) i += 1;
  const manufacturer = words.slice(0, i).join(' ');
  return { ...(manufacturer ? { manufacturer } : {}), model: words.slice(i).join(' ') };
}

const slugify = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function deriveTypeEntries(icaoTypes: IcaoTypes, makerSlugs: ReadonlySet<string>): TypeDesignator[] {
  return Object.entries(icaoTypes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([designator, [name, description, wake]]) => {
      const special = !name.trim();
      const { manufacturer, model } = special ? { manufacturer: undefined, model: SPECIAL[designator] ?? 'Special designator, not an aircraft type' } : splitName(name);
      const count = Number(description[1]);
      const engineType = special ? undefined : ENGINE[description[2] ?? ''];
      const makerSlug = manufacturer ? slugify(manufacturer) : undefined;
      const entry: TypeDesignator = {
        designator,
        short: true,
        ...(manufacturer ? { manufacturer } : {}),
        ...(makerSlug && makerSlugs.has(makerSlug) ? { manufacturerSlug: makerSlug } : {}),
        model,
        kind: special ? 'special' : (KIND[description[0] ?? ''] ?? 'special'),
        ...(engineType ? { engineType } : {}),
        ...(engineType && Number.isInteger(count) && count >= 1 ? { engineCount: count } : {}),
        ...(['L', 'M', 'H', 'J'].includes(wake) ? { wakeCategory: wake as TypeDesignator['wakeCategory'] } : {}),
        source: TYPE_SOURCE,
      };
      return entry;
    });
}
