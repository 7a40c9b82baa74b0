# syntax=docker/dockerfile:1
# The standalone notification server. Multi-stage: build with dev dependencies, run with
# production ones only, as the unprivileged `node` user. See docs/deployment.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt addon; these tools are the fallback when none matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY server/package.json ./server/
RUN npm ci --no-audit --no-fund
# Everything `npm run build` reads: tsc compiles the library (src/) and the server (server/src),
# then server/scripts/build-inbox-page.js bundles the inbox page's script with the client SDK it
# imports (client/src, and the tsconfig it extends).
# `npm run check:docker` replays these lines without Docker and fails when one is missing.
COPY tsconfig.json tsconfig.build.json ./
COPY server/tsconfig.build.json ./server/
COPY server/scripts/build-inbox-page.js ./server/scripts/
COPY client/tsconfig.json client/tsconfig.lib.json ./client/
COPY client/src ./client/src
COPY src ./src
COPY server/src ./server/src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/notifications.sqlite
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/server/package.json ./server/package.json
COPY --from=build --chown=node:node /app/server/dist ./server/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only: /health (the database) belongs to the load balancer, /health/ready (database and
# Redis) to alerts; neither is a reason to restart the container.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM closes every session with 1001 so clients reconnect to another node.
STOPSIGNAL SIGTERM
CMD ["node", "server/dist/main.js"]
