import type { Provider } from '@nestjs/common';
import { cryptoConfig, type CryptoConfig } from '../../config/crypto.config';
import { databaseConfig, type DatabaseConfig } from '../../config/database.config';
import { DatabaseConnection } from '../../database/database-connection';
import { AuthorizationSecrets } from './authorization-secrets';
import { loadKeyRing } from './load-key-ring';
import { SecretSealer } from './secret-sealer';

export const cryptoProviders: Provider[] = [
  {
    provide: SecretSealer,
    inject: [cryptoConfig.KEY, databaseConfig.KEY, DatabaseConnection],
    useFactory: (crypto: CryptoConfig, database: DatabaseConfig, connection: DatabaseConnection) =>
      new SecretSealer(
        loadKeyRing({
          ...crypto,
          embeddedDataDir: connection.embedded ? database.embedded.dataDir : undefined,
        }),
      ),
  },
  {
    provide: AuthorizationSecrets,
    inject: [SecretSealer],
    useFactory: (s: SecretSealer) => new AuthorizationSecrets(s),
  },
];
