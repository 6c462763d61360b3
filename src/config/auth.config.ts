import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional, IsString, Matches } from '../common/validation/class-validator';
import { resolve } from 'node:path';
import {
  type AccessKey,
  AccessKeysFileError,
  loadAccessKeysFile,
} from '../common/auth/aksk/access-keys-file';
import { JwtKeyError, type JwtKey, publicJwtKey, secretJwtKey } from '../common/auth/jwt/jwt-key';
import type { JwtSettings } from '../common/auth/jwt/jwt-verifier';
import { invalidVariable, readEnv } from './env';
import { PROJECT_ROOT } from './project-root';

const AUTH_MODES = ['iam', 'none'] as const;
type AuthMode = (typeof AUTH_MODES)[number];

class AuthEnv {
  /** `none` switches authentication off and must be asked for by name; anything unset means `iam`. */
  @IsIn(AUTH_MODES)
  AUTH_MODE: AuthMode = 'iam';

  @IsOptional()
  @IsString()
  AUTH_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_SECRET?: string;

  @Matches(/^[A-Za-z0-9_:.-]{1,64}$/, {
    message: 'AUTH_JWT_PROJECT_CLAIM must be a claim name (letters, digits, _ : . -)',
  })
  AUTH_JWT_PROJECT_CLAIM: string = 'project_id';

  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @IsOptional()
  @IsString()
  AUTH_ACCESS_KEYS_FILE?: string;
}

export type AuthConfig =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'iam';
      /** X-Auth-Token verification; absent when no JWT key is configured. */
      readonly jwt?: JwtSettings;
      /** AK/SK signature keys by AK; absent when no access keys file is configured. */
      readonly accessKeys?: ReadonlyMap<string, AccessKey>;
    };

function jwtKeyOf(e: AuthEnv): JwtKey | undefined {
  const { AUTH_JWT_PUBLIC_KEY: pem, AUTH_JWT_SECRET: secret } = e;
  if (pem !== undefined && secret !== undefined) {
    throw invalidVariable(
      'AUTH_JWT_SECRET',
      'set either AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET, not both',
    );
  }
  if (pem !== undefined) return readJwtKey('AUTH_JWT_PUBLIC_KEY', () => publicJwtKey(pem));
  if (secret !== undefined) return readJwtKey('AUTH_JWT_SECRET', () => secretJwtKey(secret));
  return undefined;
}

function readJwtKey(variable: string, read: () => JwtKey): JwtKey {
  try {
    return read();
  } catch (error) {
    if (error instanceof JwtKeyError) throw invalidVariable(variable, error.message);
    throw error;
  }
}

function accessKeysOf(file: string | undefined): ReadonlyMap<string, AccessKey> | undefined {
  if (file === undefined) return undefined;
  // Relative to the checkout, like EMBEDDED_PG_DIR, so it does not depend on where the process was started.
  const path = resolve(PROJECT_ROOT, file);
  try {
    return loadAccessKeysFile(path);
  } catch (error) {
    if (error instanceof AccessKeysFileError) {
      throw invalidVariable('AUTH_ACCESS_KEYS_FILE', `${path}: ${error.message}`);
    }
    throw error;
  }
}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const e = readEnv(AuthEnv, env);
  if (e.AUTH_MODE === 'none') return { mode: 'none' };

  const key = jwtKeyOf(e);
  const accessKeys = accessKeysOf(e.AUTH_ACCESS_KEYS_FILE);
  if (key === undefined && accessKeys === undefined) {
    throw invalidVariable(
      'AUTH_MODE',
      'AUTH_MODE=iam (the default) needs AUTH_JWT_PUBLIC_KEY or AUTH_JWT_SECRET (X-Auth-Token) and/or ' +
        'AUTH_ACCESS_KEYS_FILE (AK/SK); set AUTH_MODE=none only to run without authentication',
    );
  }
  const jwt: JwtSettings | undefined = key && {
    key,
    projectClaim: e.AUTH_JWT_PROJECT_CLAIM,
    issuer: e.AUTH_JWT_ISSUER,
    audience: e.AUTH_JWT_AUDIENCE,
  };
  return { mode: 'iam', jwt, accessKeys };
}

export const authConfig = registerAs('auth', () => loadAuthConfig());
