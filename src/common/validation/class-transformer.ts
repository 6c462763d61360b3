/* eslint-disable @typescript-eslint/no-require-imports -- the point of this file: one CommonJS file each */
import type { ValidationPipeOptions } from '@nestjs/common';
import type * as ClassTransformerPackage from 'class-transformer';

/**
 * The parts of class-transformer this service uses, from their own files of the package's CommonJS build
 * (`cjs/`, its `main`; no `exports` map), as for class-validator (./class-validator.ts): its index loads every
 * decorator and helper it has. Source code imports class-transformer from here (ESLint refuses the index).
 */
type CT = typeof ClassTransformerPackage;

export const { Transform } =
  require('class-transformer/cjs/decorators/transform.decorator') as Pick<CT, 'Transform'>;
export type ClassConstructor<T> = ClassTransformerPackage.ClassConstructor<T>;
export type ClassTransformOptions = ClassTransformerPackage.ClassTransformOptions;

const { ClassTransformer } = require('class-transformer/cjs/ClassTransformer') as Pick<
  CT,
  'ClassTransformer'
>;
/**
 * One instance, as the index keeps one behind its functions; seen through those functions' signatures (the
 * class's own methods are declared for records only).
 */
const transformer = new ClassTransformer() as unknown as Pick<
  CT,
  'plainToInstance' | 'instanceToPlain'
>;

/** class-transformer's `plainToInstance(cls, plain, options)`. */
export function plainToInstance<T, V>(
  cls: ClassConstructor<T>,
  plain: V,
  options?: ClassTransformOptions,
): T {
  return transformer.plainToInstance(cls, plain, options);
}

/** What Nest's ValidationPipe takes as `transformerPackage` instead of requiring the index. */
export const transformerPackage: NonNullable<ValidationPipeOptions['transformerPackage']> = {
  plainToInstance: (cls, plain, options) => transformer.plainToInstance(cls, plain, options),
  classToPlain: (object, options) => transformer.instanceToPlain(object, options),
};
