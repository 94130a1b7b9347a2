# sciweek-bot — multi-stage image: build (native better-sqlite3 + TypeScript) then a slim runtime
# with production dependencies only, running as the unprivileged `node` user.

FROM node:20-bookworm AS build
WORKDIR /app
# python3, make and g++ come with the full node image: better-sqlite3 builds from source here.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY flows ./flows
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# Inside the container the server listens on every interface, so that a published port reaches it
# (outside a container HOST defaults to 127.0.0.1); publish the port on the host's loopback only.
ENV NODE_ENV=production \
    SCIWEEK_USE_DIST=1 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY data ./data
COPY locales ./locales
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
ENTRYPOINT ["node", "bin/sciweek.js"]
CMD ["start"]
