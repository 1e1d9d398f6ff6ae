import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** Dirs made outside a test (file top level, describe body, beforeAll): removed when the file ends. */
const fileDirs = new Set<string>();

const remove = (dir: string): void => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });

/**
 * A fresh dir under the OS temp dir (`<tmpdir>/<prefix>XXXXXX`) that the test suite removes
 * itself, so runs leave nothing behind in /tmp:
 * - made inside a test (or its beforeEach): removed when that test finishes, after its afterEach
 *   hooks and the onTestFinished hooks registered after it (so a process started on the dir
 *   in the test is stopped first);
 * - made anywhere else in a test file: removed after the file's last afterAll hook, once
 *   whatever the file started on it (broker, collector, consumer) is stopped. The hook is
 *   vitest.config.ts's setup file, temp-dir-setup.ts.
 * A dir one test makes and a later test reads must therefore be made outside the tests.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    onTestFinished(() => remove(dir));
  } catch {
    // onTestFinished throws outside a running test: the dir belongs to the file.
    fileDirs.add(dir);
  }
  return dir;
}

/** Removes the dirs tempDir made outside tests; temp-dir-setup.ts runs it after each test file. */
export function removeFileTempDirs(): void {
  for (const dir of fileDirs) remove(dir);
  fileDirs.clear();
}
