/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file: one CommonJS file each */
import type * as ClassValidator from 'class-validator';
import type { ValidationPipeOptions } from '@nestjs/common';

/**
 * The parts of class-validator this service uses, each from its own file of the package's CommonJS build
 * (`cjs/`, its `main`; the package has no `exports` map). Its index loads every decorator it has, and with
 * them all of `validator` and libphonenumber-js' metadata: ~320 modules and ~150 ms of start-up CPU (issue 14)
 * for the ~30 modules used here. The files share the one metadata storage the index would use (a global), so
 * decorators from here and from the index are the same rules. Source code imports class-validator from here
 * (ESLint refuses the index under src/); tests may use the index.
 */
type CV = typeof ClassValidator;

export const { IsBoolean } = require('class-validator/cjs/decorator/typechecker/IsBoolean') as Pick<
  CV,
  'IsBoolean'
>;
export const { IsDefined } = require('class-validator/cjs/decorator/common/IsDefined') as Pick<
  CV,
  'IsDefined'
>;
export const { IsIn } = require('class-validator/cjs/decorator/common/IsIn') as Pick<CV, 'IsIn'>;
export const { IsInt } = require('class-validator/cjs/decorator/typechecker/IsInt') as Pick<
  CV,
  'IsInt'
>;
export const { IsOptional } = require('class-validator/cjs/decorator/common/IsOptional') as Pick<
  CV,
  'IsOptional'
>;
export const { IsString } = require('class-validator/cjs/decorator/typechecker/IsString') as Pick<
  CV,
  'IsString'
>;
export const { Matches } = require('class-validator/cjs/decorator/string/Matches') as Pick<
  CV,
  'Matches'
>;
export const { Max } = require('class-validator/cjs/decorator/number/Max') as Pick<CV, 'Max'>;
export const { MaxLength } = require('class-validator/cjs/decorator/string/MaxLength') as Pick<
  CV,
  'MaxLength'
>;
export const { Min } = require('class-validator/cjs/decorator/number/Min') as Pick<CV, 'Min'>;
export const { MinLength } = require('class-validator/cjs/decorator/string/MinLength') as Pick<
  CV,
  'MinLength'
>;
export const { ValidateIf } = require('class-validator/cjs/decorator/common/ValidateIf') as Pick<
  CV,
  'ValidateIf'
>;
export const { ValidationError } =
  require('class-validator/cjs/validation/ValidationError') as Pick<CV, 'ValidationError'>;
export type ValidationError = ClassValidator.ValidationError;
export type ValidatorOptions = ClassValidator.ValidatorOptions;

const { getFromContainer } = require('class-validator/cjs/container') as Pick<
  CV,
  'getFromContainer'
>;
const { Validator } = require('class-validator/cjs/validation/Validator') as Pick<CV, 'Validator'>;
const { getMetadataStorage } = require('class-validator/cjs/metadata/MetadataStorage') as Pick<
  CV,
  'getMetadataStorage'
>;

/** class-validator's `validateSync(object, options)`, as its index defines it. */
export function validateSync(object: object, options?: ValidatorOptions): ValidationError[] {
  return getFromContainer(Validator).validateSync(object, options);
}

/**
 * What Nest's ValidationPipe takes as `validatorPackage` instead of requiring the index: `validate`, and the
 * metadata storage it reads to find nested binary values.
 */
export const validatorPackage: NonNullable<ValidationPipeOptions['validatorPackage']> &
  Pick<CV, 'getMetadataStorage'> = {
  validate: (object, options) => getFromContainer(Validator).validate(object as object, options),
  getMetadataStorage,
};
