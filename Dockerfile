# syntax=docker/dockerfile:1
# Plaza's production image: the same image runs web processes (`node scripts/start.mjs`, the default), job workers
# (`node bin/plaza.mjs worker`) and migrations (`node bin/plaza.mjs migrate`). Build it with
#   docker build -t plaza .                                   (or podman build / buildah bud)
#   docker build --build-arg BASE_IMAGE=registry.example/node:20-bookworm-slim -t plaza .
# BASE_IMAGE is any Debian-based image with Node 20 or later at /usr/local/bin/node or on the PATH.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a change to the source does not download them again. No dev dependencies: the install
# step compiles the theme with sass, which is a dependency for that reason (docs/decisions/0092).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY src ./src
# The install's own steps: assets into public/, src/ compiled into dist/, the embedded database templates.
# DATA_DIR=memory:// keeps it from preparing a ./data folder in the image.
RUN DATA_DIR=memory:// npm run postinstall && npm cache clean --force

FROM ${BASE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    LETTERS_DIR=/data/letters \
    LOG_FORMAT=json
COPY --from=build /app /app
# Root owns the code (read-only to Plaza); the only writable places are the /data volume and /tmp, so the container
# runs with a read-only root file system (docker run --read-only --tmpfs /tmp -v plaza-data:/data).
RUN mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "scripts/start.mjs"]
