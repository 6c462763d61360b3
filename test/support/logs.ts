/** A pino line of the service, as tests read them. */
export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function parseLogs(raw: readonly string[]): LogLine[] {
  return raw.map((l) => JSON.parse(l) as LogLine);
}

/** Lines at error level or above (pino 50+): what nothing a client or an outage does may produce. */
export function errorLines(raw: readonly string[]): LogLine[] {
  return parseLogs(raw).filter((l) => l.level >= 50);
}
