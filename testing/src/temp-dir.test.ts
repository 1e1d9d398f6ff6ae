import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { removeFileTempDirs, tempDir } from './temp-dir.ts';

// The tests of this file run in order: each checks what the one before it left behind.
describe('tempDir', () => {
  const fileLevel = tempDir('temp-dir-test-file-');
  let madeInTest = '';
  let thereForLaterHook: boolean | undefined;

  it('makes a fresh dir named by its prefix under the OS temp dir', () => {
    madeInTest = tempDir('temp-dir-test-');
    expect(dirname(madeInTest)).toBe(tmpdir());
    expect(basename(madeInTest)).toMatch(/^temp-dir-test-.{6}$/);
    expect(existsSync(madeInTest)).toBe(true);
    expect(tempDir('temp-dir-test-')).not.toBe(madeInTest);
    writeFileSync(join(madeInTest, 'file'), 'content');
    // Hooks registered after the dir was made (stopping a process that writes there) run first.
    onTestFinished(() => {
      thereForLaterHook = existsSync(madeInTest);
    });
  });

  it('removes a dir made in a test, with its content, once that test finished and its later hooks ran', () => {
    expect(thereForLaterHook).toBe(true);
    expect(existsSync(madeInTest)).toBe(false);
  });

  it('keeps a dir made outside the tests for every test of the file', () => {
    expect(existsSync(fileLevel)).toBe(true);
  });

  it('removeFileTempDirs (run after the file by the setup file) removes the dirs made outside the tests', () => {
    writeFileSync(join(fileLevel, 'file'), 'content');
    removeFileTempDirs();
    expect(existsSync(fileLevel)).toBe(false);
  });
});
