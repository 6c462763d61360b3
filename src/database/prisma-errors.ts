import { Prisma } from './generated/prisma/client';

/** A statement sent straight to the pool broke this unique index (node-postgres: SQLSTATE 23505). */
export function isUniqueViolationOf(error: unknown, index: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === index;
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
