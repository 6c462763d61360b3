# syntax=docker/dockerfile:1
# Build: compile TypeScript and generate the Prisma client (no engine download: see prisma.config.ts).
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build \
  # Containers always get a DATABASE_URL: the embedded PostgreSQL binaries (optional dependency) are not shipped.
  # The Prisma CLI is a development tool (client generation); migrations run through dist/ at run time.
  && npm prune --omit=dev --omit=optional

FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
# A volume mounted here (docker-compose's token key) starts out owned by the service user.
RUN mkdir -p /var/lib/git-auth && chown node:node /var/lib/git-auth
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The service; the command-line tools are `node dist/cli.js …` (keys generate|rotate|init-file, db migrate|resolve).
CMD ["node", "dist/main.js"]
