import { z } from 'zod';

/** A configuration value that cannot start the process; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses environment variables once, at start-up, into a typed object. Each key of `shape` is
 * the variable name; the error lists every bad variable with what was expected.
 *
 * @example
 * const config = parseEnv({ PORT: z.coerce.number().int().min(1).max(65535).default(8787) });
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const values = Object.fromEntries(
    Object.keys(shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const result = z.object(shape).safeParse(values);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const got = values[name] === undefined ? 'unset' : JSON.stringify(values[name]);
      return `  ${name} (${got}): ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration; fix these environment variables:\n${lines.join('\n')}`);
  }
  return result.data;
}
