import { existsSync, readFileSync } from 'node:fs';
import { popularitySchema, type Popularity } from './popularity.ts';

/**
 * The one reader of a published popularity snapshot (the site's build, tests, the bench).
 * An absent file is normal (nothing published yet) and gives null; a present but invalid one
 * throws naming the file and each bad field, because the consumer writes it atomically, so a
 * broken file is a real fault, never a half-written one. Kept out of the package index so the
 * browser bundle never sees `node:fs`.
 */
export function readPopularityFile(file: string): Popularity | null {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`POPULARITY_FILE ${file} is not valid JSON (${(error as Error).message}); fix or delete it.`, { cause: error });
  }
  const parsed = popularitySchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new Error(`POPULARITY_FILE ${file} does not match the popularity schema; fix or delete it:\n${issues}`);
  }
  return parsed.data;
}
