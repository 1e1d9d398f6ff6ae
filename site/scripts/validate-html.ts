/**
 * Runs the Nu HTML Checker (the `vnu-jar` package; Java 17+) over every HTML page of the live
 * build, in one JVM for the whole directory (one JVM per page would cost ~1 s each).
 * Exit 0 with 0 errors; 1 listing each error by page and line; 2 when nothing could be checked.
 *
 *   node site/scripts/validate-html.ts [dir]   default: the live build's client dir
 *
 * Env: HANGAR_LIVE_DIR (default site/.live), JAVA (default `java` on PATH).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { currentBuild, liveLayout } from './live-dir.ts';
import { siteConfig } from '../src/lib/config.ts';

const vnuJar: string = createRequire(import.meta.url)('vnu-jar');

const reportSchema = z.object({
  messages: z.array(z.object({ type: z.string(), subType: z.string().optional(), url: z.string().optional(), lastLine: z.number().optional(), message: z.string() })),
});

/** HTML files under `dir`, so an empty or wrong directory cannot pass as "0 errors". */
export function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html'));
}

/** Validates every page under `dir`; returns the error lines (empty when valid). */
export function validateHtml(dir: string): { pages: number; errors: string[] } {
  const pages = htmlFiles(dir).length;
  if (pages === 0) throw new Error(`No .html files under ${dir}: build the site first (node site/scripts/build-and-swap.ts).`);
  const result = spawnSync(process.env.JAVA ?? 'java', ['-jar', vnuJar, '--errors-only', '--skip-non-html', '--format', 'json', dir], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new Error(`Could not run java for the Nu HTML Checker (${result.error.message}); install Java 17+ (Debian: openjdk-17-jre-headless).`);
  // vnu writes its JSON report to stderr and exits 1 when it found errors.
  const parsed = reportSchema.safeParse(JSON.parse(result.stderr || '{"messages":[]}'));
  if (!parsed.success) throw new Error(`The Nu HTML Checker printed no report (exit ${result.status}):\n${result.stderr.slice(0, 2000)}`);
  const errors = parsed.data.messages
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${m.url ? relative(dir, fileURLToPath(m.url)) : '?'}:${m.lastLine ?? '?'}: ${m.message}`);
  return { pages, errors };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const build = currentBuild(liveLayout(siteConfig().liveDir).current);
  const dir = process.argv[2] ?? (build && join(build, 'client'));
  if (!dir) {
    console.error('No live build to validate: run node site/scripts/build-and-swap.ts first.');
    process.exit(2);
  }
  const { pages, errors } = validateHtml(dir);
  if (errors.length > 0) {
    console.error(`✗ ${errors.length} HTML errors in ${dir} (${pages} pages checked):\n${errors.slice(0, 50).join('\n')}${errors.length > 50 ? `\n… and ${errors.length - 50} more` : ''}`);
    process.exit(1);
  }
  console.log(`✓ ${pages} pages valid HTML (Nu HTML Checker, 0 errors)`);
}
