import { registerAs } from '@nestjs/config';
import { IsOptional, IsString } from '../common/validation/class-validator';
import { readEnv } from './env';

class CryptoEnv {
  /** `id:base64key[,id:base64key…]`: the first key seals, every key unseals. */
  @IsOptional()
  @IsString()
  TOKEN_ENCRYPTION_KEYS?: string;

  /** A file with the same content (Docker and Kubernetes secrets). */
  @IsOptional()
  @IsString()
  TOKEN_ENCRYPTION_KEYS_FILE?: string;
}

export function loadCryptoConfig(env: NodeJS.ProcessEnv = process.env) {
  const e = readEnv(CryptoEnv, env);
  return { keys: e.TOKEN_ENCRYPTION_KEYS, keysFile: e.TOKEN_ENCRYPTION_KEYS_FILE };
}

export const cryptoConfig = registerAs('crypto', () => loadCryptoConfig());
export type CryptoConfig = ReturnType<typeof loadCryptoConfig>;
