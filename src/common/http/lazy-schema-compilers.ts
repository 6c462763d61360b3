import type { FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

/** Fastify's own dependencies, resolved from Fastify as Fastify resolves them. */
const fastifyRequire = createRequire(require.resolve('fastify'));

let validatorFactory: ValidatorFactory | undefined;
let serializerFactory: SerializerFactory | undefined;

/**
 * Fastify's default schema compilers (ajv through @fastify/ajv-compiler, fast-json-stringify through
 * @fastify/fast-json-stringify-compiler), loaded the first time a route schema is compiled instead of when
 * the server is created: ~115 modules and ~130 ms of start-up CPU (issue 14) for routes of which none has a
 * Fastify schema today (Nest validates bodies with class-validator). A route given one later gets the same
 * compilers; the one difference of a "custom" factory in Fastify is that a `headers` schema is compiled as
 * written (its property names are not lower-cased first), so such a schema must use lower-case names.
 */
export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: (externalSchemas, options) => {
    validatorFactory ??= (fastifyRequire('@fastify/ajv-compiler') as () => ValidatorFactory)();
    return validatorFactory(externalSchemas, options);
  },
  buildSerializer: (externalSchemas, options) => {
    serializerFactory ??= (
      fastifyRequire('@fastify/fast-json-stringify-compiler') as () => SerializerFactory
    )();
    return serializerFactory(externalSchemas, options);
  },
};
