import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { section } from '@hangarstack/testing/markdown';

const readme = readFileSync('README.md', 'utf8');
/** Repo paths in `code`, minus the ones a run creates (site/.live/, .data/). */
const pathsIn = (text: string) =>
  [...text.matchAll(/`((?:data|site|collector|shared|scripts|testing|bench|deploy)\/[\w./[\]-]*)`/g)].map((m) => m[1] ?? '').filter((p) => !p.includes('/.'));

describe('README.md', () => {
  it('the pipeline table names every step, data to rebuild, each with files that exist', () => {
    const table = section(readme, 'The pipeline');
    const steps = [...table.matchAll(/^\| ([^|]+?) \|/gm)].map((m) => m[1]).filter((s) => s !== 'step' && s !== '---');
    expect(steps).toEqual(['data', 'build', 'beacon', 'collector', 'Kafka', 'consumer', 'popularity', 'rebuild']);
    for (const path of pathsIn(table)) expect(existsSync(path), path).toBe(true);
  });

  it('every repo path and linked README exists', () => {
    const paths = [...pathsIn(readme), ...[...readme.matchAll(/\]\(([\w./-]+)\)/g)].map((m) => m[1] ?? '')];
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) expect(existsSync(path.replace(/\/$/, '')), path).toBe(true);
  });
});
