/**
 * What a CDN deploy must do to go from the deployed build to a new one, from their deploy
 * manifests: upload new and changed files only, delete removed ones, invalidate only changed
 * paths. Hashed assets (`_astro/`) are immutable and never invalidated.
 *
 *   node site/scripts/deploy-plan.ts --previous <manifest.json|none> --build <buildDir> --dry-run
 *       prints the plan, writes nothing
 *   node site/scripts/deploy-plan.ts --previous <manifest.json|none> --build <buildDir> --out <dir>
 *       stages it for .github/workflows/rebuild.yml: <dir>/immutable/ and <dir>/revalidate/ (the
 *       files to upload, hard-linked), <dir>/delete.txt (keys), <dir>/invalidate.txt (paths)
 *
 * `--previous none` (nothing deployed yet, or the CDN's manifest is missing) uploads everything.
 */
import { existsSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandLine } from '@hangarstack/shared/command-line';
import { manifestOf, MANIFEST_FILE, readManifest, type DeployManifest } from './deploy-manifest.ts';

/** Above this many paths one wildcard invalidation is cheaper than a list (CloudFront bills per path). */
export const MAX_INVALIDATION_PATHS = 1000;

export interface DeployPlan {
  /** Hashed assets: upload with a year's immutable cache. */
  uploadImmutable: string[];
  /** Everything else new or changed: upload with revalidation. */
  upload: string[];
  delete: string[];
  invalidate: string[];
}

const immutable = (file: string): boolean => file.startsWith('_astro/');

/** The URL paths a client file is requested at: a directory page by its directory and its file. */
export function pathsOf(file: string): string[] {
  if (file === 'index.html') return ['/', '/index.html'];
  if (file.endsWith('/index.html')) return [`/${file.slice(0, -'index.html'.length)}`, `/${file}`];
  return [`/${file}`];
}

/** The plan from `previous` (undefined: nothing deployed) to `next`. */
export function deployPlan(previous: DeployManifest | undefined, next: DeployManifest): DeployPlan {
  const before = previous?.files ?? {};
  const changed = Object.keys(next.files).filter((file) => before[file] !== next.files[file]).sort();
  const removed = Object.keys(before).filter((file) => !(file in next.files)).sort();
  // A new path may be cached as a 404 at the edge, so new files are invalidated too.
  const paths = [...changed, ...removed].filter((file) => !immutable(file)).flatMap(pathsOf);
  return {
    uploadImmutable: changed.filter(immutable),
    upload: changed.filter((file) => !immutable(file)),
    delete: removed,
    invalidate: previous === undefined || paths.length > MAX_INVALIDATION_PATHS ? ['/*'] : paths,
  };
}

/** The plan as text: a summary line, then one `verb path` line per action. */
export function formatPlan(plan: DeployPlan): string {
  return [
    `deploy plan: ${plan.uploadImmutable.length + plan.upload.length} to upload (${plan.uploadImmutable.length} immutable), ${plan.delete.length} to delete, ${plan.invalidate.length} paths to invalidate`,
    ...plan.uploadImmutable.map((f) => `upload-immutable ${f}`),
    ...plan.upload.map((f) => `upload ${f}`),
    ...plan.delete.map((f) => `delete ${f}`),
    ...plan.invalidate.map((p) => `invalidate ${p}`),
  ].join('\n');
}

/** Stages the plan in `out` for the workflow (see the header). */
function stage(plan: DeployPlan, buildDir: string, out: string): void {
  rmSync(out, { recursive: true, force: true });
  const place = (kind: string, file: string) => {
    const target = join(out, kind, file);
    mkdirSync(dirname(target), { recursive: true });
    linkSync(join(buildDir, 'client', file), target);
  };
  mkdirSync(join(out, 'immutable'), { recursive: true });
  mkdirSync(join(out, 'revalidate'), { recursive: true });
  for (const file of plan.uploadImmutable) place('immutable', file);
  for (const file of plan.upload) place('revalidate', file);
  writeFileSync(join(out, 'delete.txt'), plan.delete.map((f) => `${f}\n`).join(''));
  writeFileSync(join(out, 'invalidate.txt'), plan.invalidate.map((p) => `${p}\n`).join(''));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const usage = 'usage: node site/scripts/deploy-plan.ts --previous <manifest.json|none> --build <buildDir> (--dry-run | --out <dir>)';
  const { values } = commandLine(usage, { options: { previous: { type: 'string' }, build: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  if (!values.previous || !values.build || (!values['dry-run'] && !values.out)) {
    console.error(usage);
    process.exit(2);
  }
  const previous = values.previous === 'none' ? undefined : readManifest(values.previous);
  const manifestFile = join(values.build, MANIFEST_FILE);
  // A build made before manifests existed is hashed here instead.
  const next = existsSync(manifestFile) ? readManifest(manifestFile) : manifestOf(values.build);
  const plan = deployPlan(previous, next);
  console.log(formatPlan(plan));
  if (!values['dry-run'] && values.out) stage(plan, values.build, values.out);
}
