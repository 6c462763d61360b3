import type { CliOutput } from './cli-output';
import { markRolledBack, migrate } from './database-commands';
import { generateKey, initKeyFile, rotateKeys } from './key-commands';

export const USAGE = `usage: node dist/cli.js <command>
  keys generate                            print a new TOKEN_ENCRYPTION_KEYS entry (nothing else on stdout)
  keys rotate                              re-seal every stored secret with the first key of TOKEN_ENCRYPTION_KEYS
  keys init-file <path>                    create a key file once (never overwrites)
  db migrate                               apply pending migrations to DATABASE_URL (or the embedded PostgreSQL)
  db resolve --rolled-back <migration>     mark a failed migration rolled back, so that db migrate retries it`;

/** Runs one command with the process's configuration; answers the exit status (0 ok, 1 failed, 2 usage). */
export async function runCli(args: readonly string[], io: CliOutput): Promise<number> {
  const [group, command, ...rest] = args;
  try {
    switch (`${group} ${command}`) {
      case 'keys generate':
        if (rest.length > 0) break;
        generateKey(io);
        return 0;
      case 'keys rotate':
        if (rest.length > 0) break;
        await rotateKeys(io);
        return 0;
      case 'keys init-file':
        if (rest.length !== 1) break;
        initKeyFile(rest[0], io);
        return 0;
      case 'db migrate':
        if (rest.length > 0) break;
        await migrate(io);
        return 0;
      case 'db resolve':
        if (rest.length !== 2 || rest[0] !== '--rolled-back') break;
        await markRolledBack(rest[1], io);
        return 0;
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  io.err(USAGE);
  return 2;
}
