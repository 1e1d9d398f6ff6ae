/**
 * Runs the Nu HTML Checker (the `vnu-jar` package; Java 17+) over every HTML page of the live
 * build: the pages split into one share per core, each share checked by one JVM (one JVM per page
 * would cost ~1 s each; one JVM for all checks them one after another on a single core).
 * Exit 0 with 0 errors; 1 listing each error by page and line; 2 when nothing could be checked.
 *
 *   node site/scripts/validate-html.ts [dir]   default: the live build's client dir
 *
 * Env: HANGAR_LIVE_DIR (default site/.live), JAVA (default `java` on PATH).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
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
export async function validateHtml(dir: string, jvms = Math.min(4, availableParallelism())): Promise<{ pages: number; errors: string[] }> {
  const files = htmlFiles(dir);
  if (files.length === 0) throw new Error(`No .html files under ${dir}: build the site first (node site/scripts/build-and-swap.ts).`);
  const shares = Array.from({ length: Math.min(jvms, files.length) }, (_, i) => files.filter((_, j) => j % jvms === i).map((f) => join(dir, f)));
  const reports = await Promise.all(shares.map(runVnu));
  const errors = reports
    .flatMap((r) => r.messages)
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => ({ page: m.url ? relative(dir, fileURLToPath(m.url)) : '?', line: `${m.lastLine ?? '?'}: ${m.message}` }))
    // By page, each page's errors in the checker's order (the sort is stable).
    .sort((a, b) => a.page.localeCompare(b.page))
    .map((e) => `${e.page}:${e.line}`);
  return { pages: files.length, errors };
}

/** One JVM over `files`; vnu writes its JSON report to stderr and exits 1 when it found errors. */
function runVnu(files: readonly string[]): Promise<z.infer<typeof reportSchema>> {
  return new Promise((done, fail) => {
    const child = spawn(process.env.JAVA ?? 'java', ['-jar', vnuJar, '--errors-only', '--skip-non-html', '--format', 'json', ...files], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => fail(new Error(`Could not run java for the Nu HTML Checker (${error.message}); install Java 17+ (Debian: openjdk-17-jre-headless).`)));
    child.once('close', (status) => {
      let report: unknown;
      try {
        report = JSON.parse(stderr || '{"messages":[]}');
      } catch {
        report = undefined;
      }
      const parsed = reportSchema.safeParse(report);
      if (parsed.success) done(parsed.data);
      else fail(new Error(`The Nu HTML Checker printed no report (exit ${status}):\n${stderr.slice(0, 2000)}`));
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const build = currentBuild(liveLayout(siteConfig().liveDir).current);
  const dir = process.argv[2] ?? (build && join(build, 'client'));
  if (!dir) {
    console.error('No live build to validate: run node site/scripts/build-and-swap.ts first.');
    process.exit(2);
  }
  const { pages, errors } = await validateHtml(dir);
  if (errors.length > 0) {
    console.error(`✗ ${errors.length} HTML errors in ${dir} (${pages} pages checked):\n${errors.slice(0, 50).join('\n')}${errors.length > 50 ? `\n… and ${errors.length - 50} more` : ''}`);
    process.exit(1);
  }
  console.log(`✓ ${pages} pages valid HTML (Nu HTML Checker, 0 errors)`);
}
