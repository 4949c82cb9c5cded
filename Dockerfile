# syntax=docker/dockerfile:1
# ironvol: an OpenStack-Ironic-compatible bare-metal volume service.
#   build:   docker build -t ironvol .
#   run:     docker run -p 6385:6385 -e DATABASE_URL=postgres://... ironvol
#   migrate: docker run -e DATABASE_URL=postgres://... ironvol migrate

FROM docker.io/library/node:20-bookworm-slim AS build
# better-sqlite3 compiles its native addon here, against the image's own Node
# headers (/usr/local/include/node), so no prebuilt binary or header tarball is downloaded.
ENV npm_config_nodedir=/usr/local
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
RUN npx nest build \
 && npm prune --omit=dev --no-audit --no-fund

FROM docker.io/library/node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=6385 \
    DATABASE_URL=sqlite:/var/lib/ironvol/ironvol.sqlite \
    LOG_LEVEL=info
RUN groupadd --system --gid 10001 ironvol \
 && useradd --system --uid 10001 --gid ironvol --home-dir /var/lib/ironvol --shell /usr/sbin/nologin ironvol \
 && mkdir -p /var/lib/ironvol \
 && chown ironvol:ironvol /var/lib/ironvol
WORKDIR /app
COPY --from=build --chown=root:root /src/package.json ./package.json
COPY --from=build --chown=root:root /src/node_modules ./node_modules
COPY --from=build --chown=root:root /src/dist ./dist
# The only place the service writes (the SQLite file); with PostgreSQL nothing is written.
VOLUME ["/var/lib/ironvol"]
USER 10001:10001
EXPOSE 6385
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||6385)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form, so Node itself receives SIGTERM. The heap flags are those of `npm start`:
# a bounded old space makes V8 collect sooner, keeping RSS near 130 MB under load.
ENTRYPOINT ["node", "--max-semi-space-size=8", "--max-old-space-size=192", "/app/dist/src/bin/ironvol.js"]
CMD ["serve"]
