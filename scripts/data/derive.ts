/**
 * Derives facts for our records from the public datasets kept beside the repository
 * (`../shared/datasets`, not part of a clone), with attribution, and writes them into the
 * committed records: `node scripts/data/derive.ts [--datasets DIR] [--dir data]`.
 *
 * - ICAO Doc 8643 type designators → `icao`, `wakeCategory`; checks engine count and kind.
 * - openscope aircraft performance data (MIT) → `serviceCeilingM` and `cruiseSpeedKmh` where our
 *   record has none (openscope's are operational figures from an ATC simulator, so a published
 *   figure already in the record wins); disagreements over 15 % are reported, never overwritten.
 *
 * - ICAO Doc 8643 type designators → one compact entry per designator in `data/types/` (see
 *   `derive-types.ts`), linked to the full records that carry it; stale entries are removed.
 *
 * Idempotent: running it again changes nothing. The data check then validates the result.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine } from '@hangarstack/shared/command-line';
import type { AircraftInput } from '@hangarstack/shared';
import { deriveTypeEntries, type IcaoTypes } from './derive-types.ts';

/** Our slug → its ICAO type designator, for the types that have one. */
export const ICAO_BY_SLUG: Readonly<Record<string, string>> = {
  'boeing-707-320b': 'B703', 'boeing-720': 'B720', 'douglas-dc-8-61': 'DC86', 'boeing-727-200': 'B722', 'boeing-737-200': 'B732',
  'boeing-737-800': 'B738', 'boeing-737-max-8': 'B38M', 'boeing-747-100': 'B741', 'boeing-747-400': 'B744', 'boeing-747-8': 'B748',
  'boeing-757-200': 'B752', 'boeing-767-300er': 'B763', 'boeing-777-300er': 'B77W', 'boeing-777-9': 'B779', 'boeing-787-8': 'B788',
  'boeing-787-9': 'B789', 'boeing-717-200': 'B712', 'douglas-dc-9-30': 'DC93', 'mcdonnell-douglas-md-80': 'MD82',
  'mcdonnell-douglas-dc-10-30': 'DC10', 'mcdonnell-douglas-md-11': 'MD11', 'lockheed-l-1011-tristar': 'L101', 'airbus-a300b4': 'A30B',
  'airbus-a310-300': 'A310', 'airbus-a318': 'A318', 'airbus-a319': 'A319', 'airbus-a320-200': 'A320', 'airbus-a320neo': 'A20N',
  'airbus-a321-200': 'A321', 'airbus-a321neo': 'A21N', 'airbus-a330-300': 'A333', 'airbus-a330-900neo': 'A339', 'airbus-a340-300': 'A343',
  'airbus-a340-600': 'A346', 'airbus-a350-900': 'A359', 'airbus-a350-1000': 'A35K', 'airbus-a380-800': 'A388', 'airbus-a220-300': 'BCS3',
  'airbus-a220-100': 'BCS1', 'embraer-e175': 'E75L', 'embraer-e190': 'E190', 'embraer-e195-e2': 'E295', 'embraer-erj-145': 'E145',
  'bombardier-crj200': 'CRJ2', 'bombardier-crj900': 'CRJ9', 'atr-42-600': 'AT46', 'atr-72-600': 'AT76', 'de-havilland-canada-dash-8-400': 'DH8D',
  'de-havilland-canada-dash-7': 'DHC7', 'saab-340b': 'SF34', 'saab-2000': 'SB20', 'fokker-50': 'F50', 'fokker-f27-friendship': 'F27',
  'fokker-100': 'F100', 'embraer-emb-120-brasilia': 'E120', 'beechcraft-1900d': 'B190', 'dornier-328': 'D328',
  'british-aerospace-jetstream-31': 'JS31', 'british-aerospace-146-200': 'B462', 'lockheed-l-188-electra': 'L188',
  'douglas-dc-3': 'DC3', 'douglas-dc-4': 'DC4', 'douglas-dc-6b': 'DC6', 'lockheed-l-1049-super-constellation': 'CONI',
  'tupolev-tu-154m': 'T154', 'tupolev-tu-134': 'T134', 'ilyushin-il-62m': 'IL62', 'ilyushin-il-96-300': 'IL96', 'comac-c919': 'C919',
  'sukhoi-superjet-100': 'SU95', 'antonov-an-148': 'A148', 'lockheed-c-130h-hercules': 'C130', 'lockheed-martin-c-130j-super-hercules': 'C30J',
  'boeing-c-17-globemaster-iii': 'C17', 'lockheed-c-5m-super-galaxy': 'C5M', 'antonov-an-124': 'A124', 'antonov-an-225-mriya': 'A225',
  'antonov-an-12': 'AN12', 'ilyushin-il-76md': 'IL76', 'airbus-a400m-atlas': 'A400', 'boeing-kc-135r-stratotanker': 'K35R',
  'boeing-p-8a-poseidon': 'P8', 'lockheed-p-3c-orion': 'P3', 'general-dynamics-f-16c': 'F16', 'fairchild-republic-a-10-thunderbolt-ii': 'A10',
  'cessna-150': 'C150', 'cessna-152': 'C152', 'cessna-172-skyhawk': 'C172', 'cessna-182-skylane': 'C182', 'cessna-206-stationair': 'C206',
  'cessna-208-caravan': 'C208', 'cessna-citation-mustang': 'C510', 'cessna-citation-cj4': 'C25C', 'cessna-citation-x': 'C750',
  'cessna-citation-latitude': 'C68A', 'cessna-citation-longitude': 'C700', 'learjet-35a': 'LJ35', 'learjet-45': 'LJ45', 'learjet-75': 'LJ75',
  'gulfstream-g550': 'GLF5', 'gulfstream-g650': 'GLF6', 'gulfstream-g280': 'G280', 'bombardier-global-6000': 'GLEX', 'bombardier-global-7500': 'GL7T',
  'bombardier-challenger-350': 'CL35', 'bombardier-challenger-650': 'CL60', 'dassault-falcon-900': 'F900', 'dassault-falcon-7x': 'FA7X',
  'dassault-falcon-8x': 'FA8X', 'embraer-phenom-100': 'E50P', 'embraer-phenom-300': 'E55P', 'honda-ha-420-hondajet': 'HDJT', 'pilatus-pc-24': 'PC24',
  'pilatus-pc-12': 'PC12', 'beechcraft-king-air-350': 'B350', 'piper-j-3-cub': 'J3', 'piper-pa-18-super-cub': 'PA18', 'piper-pa-28-cherokee': 'P28A',
  'piper-pa-34-seneca': 'PA34', 'piper-pa-46-malibu': 'PA46', 'beechcraft-bonanza-g36': 'BE36', 'beechcraft-baron-g58': 'BE58', 'cirrus-sr20': 'SR20',
  'cirrus-sr22': 'SR22', 'cirrus-vision-jet': 'SF50', 'diamond-da40': 'DA40', 'diamond-da42': 'DA42', 'diamond-da62': 'DA62', 'mooney-m20': 'M20P',
  'de-havilland-canada-dhc-6-twin-otter': 'DHC6', 'de-havilland-canada-dhc-2-beaver': 'DHC2', 'robinson-r22': 'R22', 'robinson-r44': 'R44',
  'robinson-r66': 'R66', 'bell-206b-jetranger': 'B06', 'bell-407': 'B407', 'bell-412': 'B412', 'bell-429': 'B429', 'airbus-helicopters-h125': 'AS50',
  'airbus-helicopters-h135': 'EC35', 'airbus-helicopters-h145': 'EC45', 'sikorsky-s-76d': 'S76', 'sikorsky-s-92': 'S92', 'leonardo-aw139': 'A139',
  'sikorsky-uh-60-black-hawk': 'H60', 'boeing-ch-47f-chinook': 'H47',
  'curtiss-p-40-warhawk': 'P40', 'douglas-sbd-dauntless': 'SBD', 'fairey-swordfish': 'SWOR', 'polikarpov-po-2': 'PO2', 'polikarpov-i-16': 'I16',
  'antonov-an-2': 'AN2', 'ford-trimotor': 'TRIM', 'lockheed-model-10-electra': 'L10', 'boeing-777-200': 'B772', 'boeing-777-200er': 'B772',
  'ilyushin-il-86': 'IL86', 'mikoyan-gurevich-mig-19': 'MG19', 'bell-47': 'B47G', 'sikorsky-sh-3-sea-king': 'S61', 'antonov-an-24': 'AN24',
  'yakovlev-yak-40': 'YK40', 'mil-mi-28': 'MI28', 'canadair-cl-415': 'CL2T', 'airbus-beluga': 'A3ST', 'supermarine-spitfire': 'SPIT',
  'lockheed-c-130-hercules': 'C130',
  'avro-anson': 'ANSN', 'bell-505-jet-ranger-x': 'B505', 'bell-p-39-airacobra': 'P39', 'bell-p-63-kingcobra': 'P63', 'bell-uh-1y-venom': 'UH1Y',
  'chengdu-j-20': 'J20', 'embraer-emb-312-tucano': 'TUCA', 'gloster-gladiator': 'GLAD', 'grumman-f4f-wildcat': 'WCAT', 'irkut-mc-21-300': 'MC23',
  'kai-t-50-golden-eagle': 'K50', 'martin-b-26-marauder': 'B26M', 'mikoyan-gurevich-mig-15': 'MG15', 'mikoyan-mig-31': 'MG31',
  'mitsubishi-spacejet-m90': 'MRJ9', 'north-american-f-100-super-sabre': 'SSAB', 'northrop-grumman-b-21-raider': 'B21', 'northrop-p-61-black-widow': 'P61',
  'pilatus-pc-21': 'PC21', 'pilatus-pc-9': 'PC9', 'pzl-ts-11-iskra': 'TS11', 'sopwith-triplane': 'STRI', 'sukhoi-su-25': 'SU25', 'sukhoi-su-47-berkut': 'S37',
  'sukhoi-su-57': 'SU57', 'supermarine-swift': 'SWIF', 'transall-c-160': 'C160', 'tupolev-tu-160': 'T160', 'westland-lysander': 'LYSA',
  'yakovlev-yak-130': 'Y130', 'yakovlev-yak-141': 'Y141', 'yakovlev-yak-9': 'YAK9', 'lockheed-martin-f-35b-lightning-ii': 'VF35',
};

/** openscope figures a review removed by hand (implausible or superseded); derive must not add them back. */
const OPENSCOPE_REJECTED: Readonly<Record<string, readonly string[]>> = {
  'cessna-citation-x': ['cruiseSpeedKmh'],
  'cessna-150': ['cruiseSpeedKmh'],
};

const ICAO_SOURCE = 'ICAO Doc 8643 aircraft type designators';
const OPENSCOPE_SOURCE = 'openscope aircraft performance data (MIT)';
const ENGINE_LETTER: Record<string, string> = { J: 'jet', T: 'turboprop', P: 'piston', E: 'electric' };

type Record_ = AircraftInput & Record<string, unknown>;

export function derive(record: Record_, icaoTypes: Record<string, [string, string, string]>, openscopeDir: string, notes: string[]): Record_ {
  const code = ICAO_BY_SLUG[record.slug];
  if (!code) return record;
  const entry = icaoTypes[code];
  if (!entry) {
    notes.push(`${record.slug}: ${code} is not in the ICAO list; left without a designator`);
    return record;
  }
  const [, description, wake] = entry;
  const out: Record_ = { ...record, icao: code };
  if (['L', 'M', 'H', 'J'].includes(wake)) out.wakeCategory = wake as 'L' | 'M' | 'H' | 'J';
  const engines = Number(description[1]);
  if (record.engines && Number.isInteger(engines) && engines !== record.engines.count) {
    notes.push(`${record.slug}: ICAO says ${engines} engine(s), the record ${record.engines.count}`);
  }
  const kind = ENGINE_LETTER[description[2] ?? ''];
  const ours = record.engines?.type;
  if (kind && ours && !(kind === 'jet' ? ['turbofan', 'turbojet'].includes(ours) : kind === 'turboprop' ? ['turboprop', 'turboshaft'].includes(ours) : kind === ours)) {
    notes.push(`${record.slug}: ICAO engine kind ${kind}, the record ${ours}`);
  }
  const sources = record.sources.filter((s) => s.title !== ICAO_SOURCE && s.title !== OPENSCOPE_SOURCE);
  sources.push({ title: ICAO_SOURCE, url: 'https://www.icao.int/publications/DOC8643/', fields: out.wakeCategory ? ['icao', 'wakeCategory'] : ['icao'] });

  const perfPath = join(openscopeDir, `${code.toLowerCase()}.json`);
  if (existsSync(perfPath)) {
    const perf = JSON.parse(readFileSync(perfPath, 'utf8')) as { ceiling?: number; speed?: { cruise?: number } };
    const fromOpenscope: ('serviceCeilingM' | 'cruiseSpeedKmh')[] = [];
    const ceilingM = perf.ceiling ? Math.round(perf.ceiling * 0.3048) : undefined;
    const cruiseKmh = perf.speed?.cruise ? Math.round(perf.speed.cruise * 1.852) : undefined;
    const wasDerived = (field: string) => record.sources.some((s) => s.title === OPENSCOPE_SOURCE && (s.fields as string[]).includes(field));
    for (const [field, value] of [['serviceCeilingM', ceilingM], ['cruiseSpeedKmh', cruiseKmh]] as const) {
      if (value === undefined || OPENSCOPE_REJECTED[record.slug]?.includes(field)) continue;
      const current = record[field];
      if (current === undefined || wasDerived(field)) {
        out[field] = value;
        fromOpenscope.push(field);
      } else if (Math.abs(current - value) / value > 0.15) {
        notes.push(`${record.slug}: ${field} ${current} in the record, openscope says ${value} (kept the published figure)`);
      }
    }
    if (fromOpenscope.length > 0) {
      for (const s of sources) s.fields = s.fields.filter((f) => !(fromOpenscope as string[]).includes(f));
      sources.push({ title: OPENSCOPE_SOURCE, url: 'https://github.com/openscope/openscope', licence: 'MIT', fields: fromOpenscope });
    }
  }
  out.sources = sources.filter((s) => s.fields.length > 0);
  return out;
}

if (import.meta.main) {
  const { values } = commandLine('usage: node scripts/data/derive.ts [--datasets ../shared/datasets] [--dir data]', { options: { datasets: { type: 'string', default: '../shared/datasets' }, dir: { type: 'string', default: 'data' } } });
  const typesPath = join(values.datasets, 'icao-type-designators', 'types.json');
  if (!existsSync(typesPath)) {
    console.error(`No datasets at ${values.datasets} (looked for ${typesPath}); pass --datasets DIR.`);
    process.exit(2);
  }
  const icaoTypes = JSON.parse(readFileSync(typesPath, 'utf8')) as IcaoTypes;
  const notes: string[] = [];
  let changed = 0;
  const dir = join(values.dir, 'aircraft');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = `${JSON.stringify(derive(JSON.parse(before) as Record_, icaoTypes, join(values.datasets, 'openscope-aircraft'), notes), null, 2)}\n`;
    if (after !== before) {
      writeFileSync(path, after);
      changed += 1;
    }
  }
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`derive: ${changed} record(s) updated from ICAO Doc 8643 and openscope`);

  const makers = new Set(readdirSync(join(values.dir, 'manufacturers')).map((f) => f.replace(/\.json$/, '')));
  const typesDir = join(values.dir, 'types');
  mkdirSync(typesDir, { recursive: true });
  const entries = deriveTypeEntries(icaoTypes, makers);
  const keep = new Set(entries.map((e) => `${e.designator}.json`));
  let typesChanged = 0;
  for (const file of readdirSync(typesDir).filter((f) => f.endsWith('.json') && !keep.has(f))) {
    rmSync(join(typesDir, file));
    typesChanged += 1;
  }
  for (const entry of entries) {
    const path = join(typesDir, `${entry.designator}.json`);
    const text = `${JSON.stringify(entry, null, 2)}\n`;
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      writeFileSync(path, text);
      typesChanged += 1;
    }
  }
  console.log(`derive: ${entries.length} type designators, ${typesChanged} file(s) in ${typesDir} written or removed`);
}
