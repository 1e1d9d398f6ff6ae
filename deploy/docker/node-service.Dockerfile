# syntax=docker/dockerfile:1
# Collector and consumer image (one image, two targets). Build from the repo root:
#   docker build -f deploy/docker/node-service.Dockerfile --target collector -t hangarstack/collector .
#   docker build -f deploy/docker/node-service.Dockerfile --target consumer  -t hangarstack/consumer .
#   docker build -f deploy/docker/node-service.Dockerfile --target topics    -t hangarstack/topics .
# Node 24 runs the TypeScript sources directly (type stripping); only production deps are shipped.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
RUN corepack enable
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY shared/package.json shared/
COPY collector/package.json collector/
RUN pnpm install --frozen-lockfile --prod --filter @hangarstack/collector... --filter @hangarstack/shared

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/shared/node_modules shared/node_modules
COPY --from=deps /app/collector/node_modules collector/node_modules
COPY package.json tsconfig.base.json ./
COPY shared shared
COPY collector/package.json collector/
COPY collector/src collector/src
COPY data/aircraft data/aircraft
COPY deploy/kafka/topics.json deploy/kafka/topics.json
RUN mkdir -p /var/lib/hangarstack && chown 10001:10001 /var/lib/hangarstack
USER 10001:10001
VOLUME ["/var/lib/hangarstack"]

FROM runtime AS collector
ENV PORT=8787 SPOOL_DIR=/var/lib/hangarstack/spool SALT_DIR=/var/lib/hangarstack/salts \
    EMBEDDED_LOG_PATH=/var/lib/hangarstack/events.db AIRCRAFT_DATA_DIR=/app/data/aircraft
EXPOSE 8787
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "collector/src/ingest/main.ts"]

FROM runtime AS consumer
ENV METRICS_PORT=8788 POPULARITY_FILE=/var/lib/hangarstack/popularity.json \
    CONSUMER_STATE_DIR=/var/lib/hangarstack/consumer EMBEDDED_LOG_PATH=/var/lib/hangarstack/events.db REBUILD=off \
    AIRCRAFT_DATA_DIR=/app/data/aircraft
# glibc malloc settings: collector/src/entries.ts consumerEnv (fewer arenas, a fixed mmap threshold).
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
EXPOSE 8788
HEALTHCHECK --interval=15s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.METRICS_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The V8 options are collector/src/entries.ts consumerNodeArgs (a small young generation, a 64 MB floor under the old one).
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=25", "--initial-old-space-size=64", "collector/src/consumer/main.ts"]

# One-shot: makes the cluster in KAFKA_BROKERS match deploy/kafka/topics.json (compose kafka-topics, k8s Job).
FROM runtime AS topics
# A job that runs to completion has no health to probe: its exit code is the result.
HEALTHCHECK NONE
CMD ["node", "collector/src/transport/topics/main.ts", "apply"]
