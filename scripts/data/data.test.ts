import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPE_SOURCE } from '@hangarstack/shared';
import { tempDir } from '@hangarstack/testing/temp-dir';
import { checkData } from './check.ts';
import { generate, writeDataDir } from './synthetic.ts';

describe('the real data', () => {
  it('passes the data check with at least 300 aircraft', () => {
    const result = checkData('data');
    expect(result.problems).toEqual([]);
    expect(result.aircraft.length).toBeGreaterThanOrEqual(300);
  });

  it('has a compact entry for every ICAO Doc 8643 designator, and full records link to theirs', () => {
    const { types, aircraft } = checkData('data');
    expect(types.length).toBeGreaterThanOrEqual(2816);
    for (const designator of ['B738', 'A20N', 'C172', 'ZZZZ']) expect(types.map((t) => t.designator)).toContain(designator);
    expect(aircraft.find((a) => a.slug === 'boeing-737-800')?.icao).toBe('B738');
  });
});

describe('checkData', () => {
  const withEdit = (slug: string, edit: (record: Record<string, unknown>) => void): string => {
    const dir = tempDir('data-check-');
    writeDataDir(generate(5, 7), dir);
    const path = join(dir, 'aircraft', `${slug}.json`);
    const record = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    edit(record);
    writeFileSync(path, JSON.stringify(record));
    return dir;
  };

  it('names the file and field of every problem, not only the first', () => {
    const dir = withEdit('synthetic-2', (r) => {
      r.wingspanM = 3000;
      r.manufacturer = 'no-such-maker';
      r.related = ['synthetic-99'];
    });
    const problems = checkData(dir).problems.map((p) => `${p.file.split('/').slice(-1)[0]}: ${p.field}`);
    expect(problems).toEqual(expect.arrayContaining(['synthetic-2.json: wingspanM']));
    const dir2 = withEdit('synthetic-2', (r) => {
      r.manufacturer = 'no-such-maker';
      r.related = ['synthetic-99'];
    });
    const problems2 = checkData(dir2).problems.map((p) => `${p.field}: ${p.message}`);
    expect(problems2).toEqual(expect.arrayContaining([expect.stringMatching(/^manufacturer: "no-such-maker"/), expect.stringMatching(/^related\.0: "synthetic-99"/)]));
  });

  it('rejects a file whose name differs from its slug', () => {
    const dir = tempDir('data-check-');
    writeDataDir(generate(3, 1), dir);
    cpSync(join(dir, 'aircraft', 'synthetic-1.json'), join(dir, 'aircraft', 'copy.json'));
    expect(checkData(dir).problems.some((p) => p.file.endsWith('copy.json') && p.field === 'slug')).toBe(true);
  });

  it('rejects a figure that no source backs, unknown keys and invalid JSON', () => {
    const dir = withEdit('synthetic-3', (r) => {
      r.sources = [{ title: 'a source that backs only the history', fields: ['history'] }];
      r.colour = 'red';
    });
    writeFileSync(join(dir, 'aircraft', 'broken.json'), '{ nope');
    const problems = checkData(dir).problems;
    expect(problems.some((p) => p.field === '(record)' || p.message.includes('colour'))).toBe(true);
    expect(problems.some((p) => p.file.endsWith('broken.json') && p.message.startsWith('not valid JSON'))).toBe(true);
  });

  it('requires a scope and says which range a rangeKm is', () => {
    const fieldsOf = (d: string): string[] => checkData(d).problems.filter((p) => p.file.endsWith('synthetic-2.json')).map((p) => p.field);
    expect(fieldsOf(withEdit('synthetic-2', (r) => void delete r.scope))).toEqual(['scope']);
    expect(fieldsOf(withEdit('synthetic-2', (r) => void delete r.rangeKind))).toEqual(['rangeKind']);
    const dir2 = withEdit('synthetic-2', (r) => {
      r.rangeKind = 'ferry';
    });
    expect(fieldsOf(withEdit('synthetic-2', (r) => void (r.rangeKind = 'endurance')))).toEqual(['rangeKind']);
    expect(checkData(dir2).problems).toEqual([]);
    const dir3 = withEdit('synthetic-2', (r) => {
      delete r.rangeKm;
    });
    const onMine = checkData(dir3).problems.filter((p) => p.file.endsWith('synthetic-2.json'));
    expect(onMine.map((p) => `${p.field}: ${p.message}`)).toEqual([expect.stringMatching(/^rangeKind: rangeKind without rangeKm/)]);
  });

  it("rejects a variant that carries its family's prototype dates or production total", () => {
    const dir = tempDir('data-check-');
    writeDataDir(generate(5, 7), dir);
    const path = (slug: string): string => join(dir, 'aircraft', `${slug}.json`);
    const family = JSON.parse(readFileSync(path('synthetic-1'), 'utf8')) as Record<string, unknown>;
    const variant = JSON.parse(readFileSync(path('synthetic-2'), 'utf8')) as Record<string, unknown>;
    const save = (r: Record<string, unknown>): void => writeFileSync(path(r.slug as string), JSON.stringify(r));
    Object.assign(family, { firstFlight: '1957-12-20', introduced: '1958-10', numberBuilt: 865 });
    Object.assign(variant, { scope: 'variant', family: 'synthetic-1', firstFlight: '1957', introduced: '1958-10-26', numberBuilt: 1010 });
    save(family);
    save(variant);
    const clash = checkData(dir).problems.filter((p) => p.file.endsWith('synthetic-2.json')).map((p) => p.field);
    expect(clash.sort()).toEqual(['firstFlight', 'introduced', 'numberBuilt']);

    Object.assign(variant, { firstFlight: '1959-01-11', introduced: '1959', numberBuilt: 174 });
    save(variant);
    expect(checkData(dir).problems).toEqual([]);
    // Unknown dates are fine: the rule compares only what both records know.
    delete variant.firstFlight;
    delete family.introduced;
    save(variant);
    save(family);
    expect(checkData(dir).problems).toEqual([]);

    save({ ...variant, family: 'synthetic-99' });
    expect(checkData(dir).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([expect.stringMatching(/^family: "synthetic-99" has no file/)]);
    save({ ...variant, family: 'synthetic-3', scope: 'variant' });
    save({ ...JSON.parse(readFileSync(path('synthetic-3'), 'utf8')), scope: 'variant' });
    expect(checkData(dir).problems.map((p) => p.field)).toContain('family');
    save({ ...variant, scope: 'family' });
    expect(checkData(dir).problems.map((p) => `${p.field}: ${p.message}`)).toContain('family: only a variant record names its family');
  });

  it('validates the planform shape', () => {
    const dir = withEdit('synthetic-4', (r) => {
      r.planform = { wing: 'straight', sweepDeg: 30, tail: 'conventional', engineLayout: 'nose' };
    });
    const mine = (d: string): string[] => checkData(d).problems.filter((p) => p.file.endsWith('synthetic-4.json')).map((p) => p.field);
    expect(mine(dir)).toEqual(['planform.sweepDeg']);
    const dir2 = withEdit('synthetic-4', (r) => {
      r.planform = { wing: 'gull', tail: 'conventional', engineLayout: 'nose' };
    });
    expect(mine(dir2)).toEqual(['planform.wing']);
    expect(mine(withEdit('synthetic-4', (r) => void delete r.planform))).toEqual(['planform']);
    expect(mine(withEdit('synthetic-4', (r) => void (r.planform = { wing: 'swept', tail: 'conventional', engineLayout: 'fuselage' })))).toEqual(['planform.sweepDeg']);
    expect(mine(withEdit('synthetic-4', (r) => void (r.roles = ['helicopter'])))).toEqual(['planform.wing']);
  });

  it('lets only airships be longer than 100 m and drawn as an envelope', () => {
    const mine = (d: string): string[] => checkData(d).problems.filter((p) => p.file.endsWith('synthetic-4.json')).map((p) => p.field);
    expect(mine(withEdit('synthetic-4', (r) => void Object.assign(r, { lengthM: 245, wingspanM: undefined })))).toEqual(['lengthM']);
    const airship = (r: Record<string, unknown>): void => {
      Object.assign(r, { roles: ['airship'], lengthM: 245, planform: { wing: 'envelope', tail: 'cruciform', engineLayout: 'fuselage' } });
      delete r.wingspanM;
    };
    expect(mine(withEdit('synthetic-4', airship))).toEqual([]);
    expect(mine(withEdit('synthetic-4', (r) => void Object.assign(r, { planform: { wing: 'envelope', tail: 'cruciform', engineLayout: 'fuselage' } })))).toEqual(['planform.wing']);
  });

  it('checks compact type entries: schema, file name, designators records use', () => {
    const dir = withEdit('synthetic-1', (r) => {
      r.icao = 'B738';
      (r.sources as { fields: string[] }[])[0]?.fields.push('icao');
    });
    mkdirSync(join(dir, 'types'));
    const entry = { designator: 'B738', short: true, manufacturer: 'BOEING', manufacturerSlug: 'synthetic-maker-1', model: '737-800', kind: 'landplane', engineType: 'jet', engineCount: 2, wakeCategory: 'M', source: TYPE_SOURCE };
    writeFileSync(join(dir, 'types', 'B738.json'), JSON.stringify(entry));
    expect(checkData(dir).problems).toEqual([]);
    expect(checkData(dir).types).toHaveLength(1);
    writeFileSync(join(dir, 'types', 'B739.json'), JSON.stringify({ ...entry, manufacturerSlug: 'nobody' }));
    const fields = checkData(dir).problems.map((p) => `${p.file.split('/').slice(-1)[0]}: ${p.field}`);
    expect(fields.sort()).toEqual(['B739.json: designator', 'B739.json: manufacturerSlug']);
    rmSync(join(dir, 'types', 'B739.json'));
    writeFileSync(join(dir, 'types', 'B738.json'), JSON.stringify({ ...entry, designator: 'A320' }));
    expect(checkData(dir).problems.map((p) => p.field).sort()).toEqual(['designator', 'icao']);
  });

  it('flags implausible shapes the bounds alone let through', () => {
    const dir = withEdit('synthetic-4', (r) => {
      r.wingspanM = 100;
      r.lengthM = 10;
    });
    expect(checkData(dir).problems.map((p) => p.field)).toContain('wingspanM');
  });
});

describe('synthetic generator', () => {
  it('is deterministic and produces records that pass the data check', () => {
    expect(generate(50, 3)).toEqual(generate(50, 3));
    const dir = tempDir('data-check-');
    writeDataDir(generate(500, 3), dir);
    const result = checkData(dir);
    expect(result.problems).toEqual([]);
    expect(result.aircraft).toHaveLength(500);
  });
});
