import type { TypeDesignator } from '@hangarstack/shared';

const KIND_LABELS: Record<TypeDesignator['kind'], string> = {
  landplane: 'Landplane',
  seaplane: 'Seaplane',
  amphibian: 'Amphibian',
  helicopter: 'Helicopter',
  gyroplane: 'Gyroplane',
  tiltrotor: 'Tiltrotor',
  special: 'Special designator',
};
const ENGINE_LABELS: Record<NonNullable<TypeDesignator['engineType']>, string> = {
  jet: 'jet',
  turboprop: 'turboprop or turboshaft',
  piston: 'piston',
  electric: 'electric',
  rocket: 'rocket',
};
const WAKE_LABELS: Record<NonNullable<TypeDesignator['wakeCategory']>, string> = { L: 'Light (L)', M: 'Medium (M)', H: 'Heavy (H)', J: 'Super (J)' };

/** "Boeing 737-800": ICAO writes makers in capitals; pages show them in title case. */
export function makerName(manufacturer: string): string {
  return manufacturer.toLowerCase().replace(/(^|[\s(/-])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());
}

/** The page title of a short entry, e.g. "Boeing 737-800", or the meaning of a special designator. */
export function typeTitle(t: TypeDesignator): string {
  return t.manufacturer ? `${makerName(t.manufacturer)} ${t.model}` : t.model;
}

/** Label/value rows for a short entry, only the facts the list gives. */
export function typeFacts(t: TypeDesignator): [string, string][] {
  const engines = t.engineType && (t.engineCount ? `${t.engineCount} × ${ENGINE_LABELS[t.engineType]}` : ENGINE_LABELS[t.engineType]);
  const rows: [string, string | undefined][] = [
    ['Designator', t.designator],
    ['Manufacturer', t.manufacturer && makerName(t.manufacturer)],
    ['Model', t.model],
    ['Kind', KIND_LABELS[t.kind]],
    ['Engines', engines],
    ['Wake category', t.wakeCategory && WAKE_LABELS[t.wakeCategory]],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}
