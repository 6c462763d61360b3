/**
 * Preloaded into a service process by tests (`-r`): when the process exits, writes the paths of every module it
 * loaded to the file named by REPORT_LOADED_MODULES, so a test can tell what a configuration loads.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.REPORT_LOADED_MODULES;
if (file) {
  process.on('exit', () => writeFileSync(file, JSON.stringify(Object.keys(require.cache))));
}
