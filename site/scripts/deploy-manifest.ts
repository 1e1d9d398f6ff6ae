/**
 * The deploy manifest each build writes as `deploy-manifest.json` beside `client/`: every output
 * file under client/ with the SHA-256 of its content. deploy-plan.ts compares the manifest of
 * what the CDN has with the new one to upload only changed files, delete removed ones and
 * invalidate only changed paths.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'deploy-manifest.json';

const manifestSchema = z.strictObject({ schema: z.literal(1), files: z.record(z.string(), z.string()) });
export type DeployManifest = z.infer<typeof manifestSchema>;

const hashFile = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('base64url');

/** Hashes every file under `buildDir/client` (paths relative to it, `/`-separated). */
export function manifestOf(buildDir: string): DeployManifest {
  const client = join(buildDir, 'client');
  const files: Record<string, string> = {};
  for (const rel of readdirSync(client, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(client, rel);
    if (statSync(path).isFile()) files[rel.split('\\').join('/')] = hashFile(path);
  }
  return { schema: 1, files };
}

/** The live build's manifest with only `changed` files (relative to client/) re-hashed from `buildDir`. */
export function updatedManifest(live: DeployManifest, buildDir: string, changed: readonly string[]): DeployManifest {
  const files = { ...live.files };
  for (const rel of changed) files[rel] = hashFile(join(buildDir, 'client', rel));
  return { schema: 1, files };
}

export function writeManifest(buildDir: string, manifest: DeployManifest): void {
  writeFileSync(join(buildDir, MANIFEST_FILE), `${JSON.stringify(manifest)}\n`);
}

/** Reads a manifest file; throws naming the file when it is not one. */
export function readManifest(file: string): DeployManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a deploy manifest (${parsed.error.issues[0]?.message ?? 'invalid'}); pass one written by build-and-swap.`);
  return parsed.data;
}
