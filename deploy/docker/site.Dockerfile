# syntax=docker/dockerfile:1
# The static site behind nginx (the CDN stand-in). Build from the repo root:
#   docker build -f deploy/docker/site.Dockerfile -t hangarstack/site .
# POPULARITY_FILE is baked in at build time; nginx also serves a fresher /popularity.json from
# the shared volume when the consumer publishes one.

FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN corepack enable
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY shared/package.json shared/
COPY site/package.json site/
COPY collector/package.json collector/
RUN pnpm install --frozen-lockfile --filter @hangarstack/site... --filter @hangarstack/shared
COPY tsconfig.base.json ./
COPY shared shared
COPY data data
COPY site site
ARG PUBLIC_COLLECTOR_URL=http://localhost:8787
ARG SITE_URL=http://localhost:8080
ENV PUBLIC_COLLECTOR_URL=$PUBLIC_COLLECTOR_URL SITE_URL=$SITE_URL
RUN pnpm --filter @hangarstack/site exec astro build

FROM nginx:1.27-bookworm AS site
COPY deploy/nginx/nginx.conf deploy/nginx/security-headers.conf /etc/nginx/
COPY --from=build /app/site/dist/client /srv/site
RUN mkdir -p /srv/popularity && chown nginx:nginx /srv/popularity
USER nginx
EXPOSE 8080
# The nginx image has neither curl nor wget; bash's /dev/tcp is enough for a GET.
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '^ok' <&3"]
CMD ["nginx", "-g", "daemon off;"]
