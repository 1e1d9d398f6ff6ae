/**
 * The environment a local rebuild command gets: what a shell, Node and the site build need, and
 * nothing of the consumer's secrets. The build is a large dependency tree running arbitrary
 * plugin code; it must never see KAFKA_SASL_PASSWORD, REBUILD_HOOK_TOKEN or a hook URL.
 *
 * Passed: the basics below, and the site's own variables (HANGAR_*, ASTRO_*, PUBLIC_*, SITE_*,
 * BUILD_LOCK_*; the site's config shape lists them, site/src/lib/config.ts), unless a name still
 * looks like a secret.
 */
const BASICS = new Set(['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'NODE_ENV', 'NODE_OPTIONS', 'CI']);
const SITE_PREFIXES = ['HANGAR_', 'ASTRO_', 'PUBLIC_', 'SITE_', 'BUILD_LOCK_'];
const SECRET = /PASSWORD|TOKEN|SECRET|CREDENTIAL|PRIVATE|_KEY$|^KAFKA_|^REBUILD_/i;

export function buildEnvironment(source: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const wanted = BASICS.has(name) || SITE_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (wanted && !SECRET.test(name)) env[name] = value;
  }
  return env;
}
