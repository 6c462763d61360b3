# syntax=docker/dockerfile:1
# Node.js 24, the active LTS line (supported until April 2028). The code also runs on Node.js 20.19+ and 22.

# Build: compile TypeScript and generate the Prisma client (no engine download: see prisma.config.ts), bundle the
# service with its V8 code cache (tools/bundle-main.mjs; recorded by this stage's Node.js, the same as the runtime
# stage's), then keep only what runs. The Prisma CLI and every other development tool stay in this stage.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY tools ./tools
RUN npm run build \
  # Containers always get a DATABASE_URL: the embedded PostgreSQL binaries (optional dependency) are not shipped.
  && npm prune --omit=dev --omit=optional \
  && npm cache clean --force

FROM node:24-bookworm-slim
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
# Readiness (the database answers) on whatever PORT the container is given.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The service; the command-line tools run in the same image: node dist/cli.js keys generate|rotate|init-file,
# db migrate|resolve (nothing is built or downloaded when they run).
CMD ["node", "dist/main.js"]
