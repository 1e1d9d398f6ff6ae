import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstColumnNames } from '@hangarstack/testing/markdown';
import { siteEnvShape } from '../src/lib/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

describe('site/README.md documents exactly what the site reads and ships', () => {
  it('the environment table is the site config shape', () => {
    expect(sorted(firstColumnNames(readme, 'Environment'))).toEqual(sorted(Object.keys(siteEnvShape)));
  });

  it('every node command names a script that exists', () => {
    const commands = firstColumnNames(readme, 'Commands').filter((c) => c.startsWith('node '));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const command of commands) expect(existsSync(command.split(' ')[1] ?? ''), command).toBe(true);
  });
});
