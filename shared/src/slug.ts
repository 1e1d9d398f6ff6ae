import { z } from 'zod';

/** Lower-case kebab-case, ASCII only: stable in URLs, file names and Kafka keys. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 80;

/** An aircraft or manufacturer slug, e.g. `boeing-747-400`. */
export const slugSchema = z
  .string()
  .min(1)
  .max(SLUG_MAX_LENGTH)
  .regex(SLUG_PATTERN, 'must be lower-case kebab-case (a-z, 0-9 and single hyphens)');

export type Slug = z.infer<typeof slugSchema>;
