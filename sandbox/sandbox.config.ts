import { IsBoolean, IsInt, Max, Min, ValidationError } from 'class-validator';
import { InvalidConfigurationError, readEnv, ToBoolean, ToInteger } from '../src/config/env';

class SandboxEnv {
  /** `npm run start:local` sets it (unless set); the development entry reads it, production never has it. */
  @ToBoolean()
  @IsBoolean()
  SANDBOX_PROVIDERS: boolean = false;

  /** The first of the sandbox providers' ports, one per registered provider in registry order; 0: any free ones. */
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(65535)
  SANDBOX_PORT: number = 3100;
}

export interface SandboxConfig {
  readonly enabled: boolean;
  readonly firstPort: number;
}

/** Refused outright with NODE_ENV=production: the sandbox lets anyone sign in as anyone. */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const e = readEnv(SandboxEnv, env);
  if (e.SANDBOX_PROVIDERS && env.NODE_ENV?.trim() === 'production') {
    const error = new ValidationError();
    error.property = 'SANDBOX_PROVIDERS';
    error.constraints = {
      production:
        'the sandbox providers are fake GitHub, GitLab… servers where anyone signs in as anyone: ' +
        'refused with NODE_ENV=production (unset SANDBOX_PROVIDERS, or do not use the development entry)',
    };
    throw new InvalidConfigurationError([error]);
  }
  return { enabled: e.SANDBOX_PROVIDERS, firstPort: e.SANDBOX_PORT };
}
