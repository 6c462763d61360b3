import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal';

const NEST_READY = 'Nest application successfully started';

/**
 * Routes Nest's own messages and every `new Logger(Context)` of ours into the one structured pino stream.
 * An object message becomes fields of the line, so services can log `{ msg, repoType, status }`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    // Nest says this when its modules are initialised, before the port is bound (which may still fail): the
    // service's own `listening` line says when it serves.
    if (context === 'NestApplication' && message === NEST_READY) {
      this.write('debug', 'application initialised', context);
      return;
    }
    this.write('info', message, context);
  }

  error(message: unknown, traceOrContext?: string, context?: string): void {
    if (message instanceof Error) {
      this.logger.error({ context: context ?? traceOrContext, err: message }, message.message);
      return;
    }
    const trace = context === undefined ? undefined : traceOrContext;
    this.write('error', message, context ?? traceOrContext, trace === undefined ? {} : { trace });
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }

  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: Level, message: unknown, context?: string, extra: object = {}): void {
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.logger[level]({ context, ...fields, ...extra }, typeof msg === 'string' ? msg : '');
      return;
    }
    this.logger[level]({ context, ...extra }, String(message));
  }
}
