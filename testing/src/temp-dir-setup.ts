import { afterAll } from 'vitest';
import { removeFileTempDirs } from './temp-dir.ts';

/**
 * Vitest setup file (vitest.config.ts), run before each test file: the file's temp dirs made
 * outside tests (temp-dir.ts) go when it ends. Registered before any hook of the file itself,
 * this afterAll runs after all of them (afterAll hooks run in reverse order), so the processes
 * the file stops in its own afterAll are gone before their dirs are.
 */
afterAll(removeFileTempDirs);
