import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from '../../app.module';
import { createOpenApiDocument } from './swagger';

/**
 * Writes the OpenAPI document that /docs-json serves, without a database or any configuration: Nest's preview
 * mode resolves the modules but instantiates no provider. `npm run lint:openapi` lints it.
 *
 *   ts-node src/common/http/openapi.cli.ts [file]     # default: stdout
 */
async function main(file: string | undefined): Promise<void> {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const json = `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  if (file === undefined) process.stdout.write(json);
  else writeFileSync(file, json);
  await app.close();
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
