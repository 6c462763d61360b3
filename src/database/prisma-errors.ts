import { Prisma } from './generated/prisma/client';

/** A unique index refused the write (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** The row to update or delete does not exist (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

/** `lock_timeout` expired while waiting for a row lock (SQLSTATE 55P03). */
export function isLockTimeout(error: unknown): boolean {
  const cause = (
    error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null
  )?.meta?.driverAdapterError?.cause;
  return cause?.originalCode === '55P03';
}
