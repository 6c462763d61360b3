import {
  plainToInstance,
  Transform,
  type ClassConstructor,
} from '../common/validation/class-transformer';
import { validateSync, ValidationError } from '../common/validation/class-validator';

/**
 * Reads one configuration namespace from the environment and validates it.
 * Empty strings count as "not set", so `FOO=` in a .env file falls back to the default.
 */
export function readEnv<T extends object>(
  schema: ClassConstructor<T>,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const config = plainToInstance(schema, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidConfigurationError(errors);
  return config;
}

export class InvalidConfigurationError extends Error {
  constructor(errors: ValidationError[]) {
    const lines = errors.map((e) => {
      const reasons = Object.values(e.constraints ?? {}).join('; ');
      return `  ${e.property}: ${reasons}`;
    });
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'InvalidConfigurationError';
  }
}

/** An error in the same format as readEnv's, for what only makes sense across variables or files. */
export function invalidVariable(variable: string, reason: string): InvalidConfigurationError {
  const error = new ValidationError();
  error.property = variable;
  error.constraints = { [variable]: reason };
  return new InvalidConfigurationError([error]);
}

/** `true`/`false`/`1`/`0`/`yes`/`no`; anything else is kept so that @IsBoolean names the variable. */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const v = value.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    return value;
  });

/** Whole numbers only; `12abc` stays a string so that @IsInt names the variable. */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
  );

export const ToList = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : value,
  );
