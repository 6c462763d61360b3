import 'reflect-metadata';
import { runCli } from './cli/run-cli';
import { loadDotEnv } from './config/dotenv';

/** Command-line tools (`node dist/cli.js` without arguments lists them); no HTTP server is started. */
loadDotEnv();
void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
}).then((status) => {
  process.exitCode = status;
});
