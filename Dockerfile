# faultline as a container image: build in one stage, run without the dev dependencies in the next.
#
#   podman build --build-arg BASE_IMAGE=docker.io/library/node:22-bookworm-slim -t faultline .
#
# BASE_IMAGE is any Debian bookworm (or newer) image with Node.js >= 20.19 and npm; docs/running.md says
# how one was made from Debian packages where no registry is reachable, and what was verified.
ARG BASE_IMAGE=docker.io/library/node:22-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: `prepare` would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
# The program only (bench/ needs the test fixtures); rootDir "." keeps dist/'s layout.
RUN printf '{"extends":"./tsconfig.build.json","include":["src","adapters"]}' > tsconfig.image.json \
 && npx tsc -p tsconfig.image.json

FROM ${BASE_IMAGE}
# The programs the built-in catalog runs on a `local: true` host (the bot's own container):
# ps, free, uptime (procps); ss, ip (iproute2); curl; openssl; findmnt, dmesg (util-linux); lsof;
# getent, ldd (libc-bin, in the base). ssh-keyscan (openssh-client) prints host keys to pin
# (docs/diagnostics.md); dig (dnsutils) is there for team catalog entries. Remote hosts are reached by
# node-ssh, which needs no ssh binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl dnsutils iproute2 lsof openssh-client openssl procps util-linux \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY knowledge ./knowledge
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/faultline --create-home \
      --shell /usr/sbin/nologin faultline
# Everything the bot writes lives under /var/lib/faultline (a volume in production); the config file is
# read from ./faultline.yaml there, or the file given with --config (e.g. a ConfigMap at /etc/faultline).
ENV FAULTLINE_OPS_PORT=9090 \
    FAULTLINE_OPS_HOST=0.0.0.0 \
    FAULTLINE_STORE_DIR=/var/lib/faultline/store \
    FAULTLINE_DIAGNOSTICS_AUDIT_PATH=/var/lib/faultline/audit.jsonl \
    FAULTLINE_CACHE_DIR=/var/lib/faultline/cache \
    FAULTLINE_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/faultline
VOLUME ["/var/lib/faultline"]
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${FAULTLINE_OPS_PORT}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/adapters/terminal/main.js"]
CMD ["start"]
