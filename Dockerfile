# syntax=docker/dockerfile:1
# The SMS gateway on the current Node.js LTS (26, Active LTS since October 2026), Debian 13 slim.
ARG NODE_IMAGE=node:26-trixie-slim

# --- build: compile TypeScript and the native SQLite driver ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# better-sqlite3 is compiled here against the image's own Node.js headers, so that the build
# fetches nothing but npm packages (no prebuilt binary, no header download).
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev

# --- run: production dependencies and the built server only ---
FROM ${NODE_IMAGE} AS run
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:/app/data/messaging.sqlite
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown -R node:node /app/data
# The image's unprivileged user; the files above stay root's and read-only to it.
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# Liveness through Node itself: slim images have no curl or wget.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM (docker stop) ends the gateway gracefully: in-flight requests are answered first.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
