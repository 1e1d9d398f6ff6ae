import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDigestOf } from './build-record.ts';
import { contentHash } from './file-hashes.ts';

const FIXTURES = new URL('../test/fixtures/', import.meta.url).pathname;
const hashOf = (file: string): string => contentHash(readFileSync(file));

describe('the data digest (build-record.ts)', () => {
  it('sees a changed record wherever the data dir is, also under a node_modules directory, and skips one inside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'hangar-record-'));
    try {
      const data = join(root, 'node_modules', '.scratch', 'data');
      cpSync(join(FIXTURES, 'aircraft'), join(data, 'aircraft'), { recursive: true });
      const before = dataDigestOf(data, hashOf);
      writeFileSync(join(data, 'aircraft', 'boeing-747-400.json'), '{"changed":true}');
      expect(dataDigestOf(data, hashOf)).not.toBe(before);
      const changed = dataDigestOf(data, hashOf);
      // A dependency inside the data dir is not data.
      mkdirSync(join(data, 'node_modules', 'x'), { recursive: true });
      writeFileSync(join(data, 'node_modules', 'x', 'index.js'), '');
      expect(dataDigestOf(data, hashOf)).toBe(changed);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
