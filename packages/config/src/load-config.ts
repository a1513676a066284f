import { z } from 'zod';

/** A bad variable: its name and what is wrong with it. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown at start-up when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** One entry per bad variable: its name and what is wrong with it. */
    readonly problems: readonly ConfigProblem[],
  ) {
    super(message);
  }

  /** The error naming every problem, one line each, as `loadConfig` reports them. */
  static of(problems: readonly ConfigProblem[]): ConfigError {
    const lines = problems.map((p) => `  ${p.variable}: ${p.message}`);
    return new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, problems);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads one typed, validated configuration object from the environment.
 *
 * The schema's keys are the environment variable names; values are strings
 * in the environment and are coerced by the schema (see `envInt`, `envBool`,
 * `envList`). Call it once at start-up and pass the result on; no other code
 * reads `process.env`.
 *
 * Fails fast with a ConfigError naming every bad variable.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const schema = z.object(shape);
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    // An empty variable means "not set", so that defaults apply (shells and
    // compose files often export empty values).
    picked[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(picked);
  if (result.success) return result.data;
  throw ConfigError.of(
    result.error.issues.map((issue) => ({
      variable: issue.path.map(String).join('.') || '(configuration)',
      message: issue.message,
    })),
  );
}

/** An integer variable with bounds. */
export function envInt(options: { min?: number; max?: number } = {}) {
  let schema = z.coerce.number().int();
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  return schema;
}

/** A boolean variable: "true"/"1"/"yes" or "false"/"0"/"no". */
export function envBool() {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
}

/** A comma-separated list of non-empty strings. */
export function envList() {
  return z.string().transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}

/** A TCP port (0 = let the operating system choose). */
export function envPort() {
  return envInt({ min: 0, max: 65535 });
}
