# syntax=docker/dockerfile:1
# alertcord container image: docker build -t alertcord .
# Node.js 24 (LTS). The runtime stage has production dependencies only and runs as uid 1000.

# Build: compile TypeScript with the dev dependencies.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only; install scripts are not needed by any of them.
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production
# A young generation of 2 MB semi-spaces instead of up to 16 MB: a service that holds
# little between requests, where the default's headroom is resident memory (README).
ENV NODE_OPTIONS=--max-semi-space-size=2
WORKDIR /app
# package.json says "type": "module": dist/ is ES modules.
COPY package.json config.example.yaml ./
COPY templates ./templates
# The web page under /ui/ (served as it is) and the sample payloads its preview offers.
COPY ui ./ui
COPY samples ./samples
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The image's "node" user, by number so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 9094
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
