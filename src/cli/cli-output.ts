/** Where a command writes: results to `out` (stdout), diagnostics and logs to `err` (stderr). */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}
