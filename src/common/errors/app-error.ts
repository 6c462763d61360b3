import { ERRORS, type ErrorKey } from './error-codes';

/** A failure the caller can act on; the filter turns it into its `SVCSTG.REPO` body. */
export class AppError extends Error {
  constructor(
    readonly key: ErrorKey,
    message: string = ERRORS[key].message,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get code(): string {
    return ERRORS[this.key].code;
  }

  get status(): number {
    return ERRORS[this.key].status;
  }
}
