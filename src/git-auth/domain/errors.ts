import { AppError } from '../../common/errors/app-error';

export function nameTaken(name: string): AppError {
  return new AppError(
    'ALREADY_EXISTS',
    `An authorization named "${name}" already exists in this project`,
  );
}

export function notFound(name: string): AppError {
  return new AppError(
    'AUTHORIZATION_NOT_FOUND',
    `No authorization named "${name}" in this project`,
  );
}
