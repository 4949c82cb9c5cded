#!/usr/bin/env bash
# Builds the real Dockerfile and runs the image, without a Docker engine:
#
#   sudo bash deploy/container/test-image.sh
#
# 1. A stand-in for the base image docker.io/library/node:20-bookworm-slim is
#    made locally (debootstrap a minimal Debian bookworm, add this machine's
#    Node 20 and npm where the official image keeps them) unless one exists.
# 2. buildah bud --isolation=chroot builds the Dockerfile.
# 3. podman (runc) runs it with a read-only root file system against the
#    PostgreSQL on 127.0.0.1:5432: /readyz, a connector create and list, the
#    `migrate` command, and SIGTERM (exit code 0).
# Prints the image size and the time from start to ready.
set -euo pipefail
cd "$(dirname "$0")/../.."

BASE=docker.io/library/node:20-bookworm-slim
IMAGE=localhost/ironvol:test
NAME=ironvol-image-test
PG_URL="${CONTAINER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/ironvol_container}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PODMAN=(podman --runtime runc --cgroup-manager cgroupfs --events-backend file)
# podman's default rlimits (nofile 1048576, ...) are above what this sandbox lets runc set.
LIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)

log() { printf '\n-- %s\n' "$*"; }
fail() { echo "container test: $*" >&2; "${PODMAN[@]}" logs "$NAME" 2>/dev/null | tail -n 30 >&2 || true; exit 1; }

for tool in buildah podman debootstrap curl; do
  command -v "$tool" >/dev/null || { echo "container test: $tool is missing (apt-get install buildah podman debootstrap runc curl)" >&2; exit 1; }
done

if ! "${PODMAN[@]}" image exists "$BASE"; then
  log "making a stand-in for $BASE"
  rootfs="$(mktemp -d)"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >/dev/null
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$(readlink -f "$npm_dir")" "$rootfs/usr/local/lib/node_modules/npm"
  # Node's headers, where the official image keeps them (native addons build against them).
  node_headers="$(dirname "$(dirname "$node_bin")")/include/node"
  mkdir -p "$rootfs/usr/local/include"
  cp -a "$node_headers" "$rootfs/usr/local/include/node"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  rm -rf "$rootfs/var/cache/apt/archives/"*.deb
  # This machine reaches the registries through a proxy with its own CA: the
  # stand-in trusts what the host trusts (the official image needs nothing).
  if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    install -D -m 0644 /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
  fi
  tar -C "$rootfs" -c . | "${PODMAN[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$BASE" >/dev/null
  rm -rf "$rootfs"
  "${PODMAN[@]}" run --rm "${LIMITS[@]}" "$BASE" node --version
fi

log "linting the Dockerfile"
npx --no-install dockerfilelint Dockerfile

log "building $IMAGE"
buildah bud --isolation=chroot --pull=never --format docker --layers -t "$IMAGE" . >/tmp/ironvol-image-build.log 2>&1 \
  || { tail -n 40 /tmp/ironvol-image-build.log >&2; fail "build failed"; }
size=$("${PODMAN[@]}" image inspect "$IMAGE" --format '{{.Size}}')
user=$("${PODMAN[@]}" image inspect "$IMAGE" --format '{{.Config.User}}')
[ "$user" = "10001:10001" ] || fail "image runs as '$user', not the non-root user"

log "database"
db="${PG_URL##*/}"
psql "${PG_URL%/*}/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
  || psql "${PG_URL%/*}/postgres" -qc "CREATE DATABASE $db"
# An empty schema, whatever earlier runs and migrations left in it.
psql "$PG_URL" -qc 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'

log "migrate command"
"${PODMAN[@]}" run --rm "${LIMITS[@]}" --network host --read-only -e DATABASE_URL="$PG_URL" "$IMAGE" migrate | tee /tmp/ironvol-migrate.log
grep -q 'applied: CreateNodesAndVolumes' /tmp/ironvol-migrate.log || fail "migrate did not apply the schema"

log "no credentials configured: the image refuses to serve everyone as an administrator"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
set +e
"${PODMAN[@]}" run --rm "${LIMITS[@]}" --network host --read-only -e PORT="$port" -e DATABASE_URL="$PG_URL" "$IMAGE" \
  >/tmp/ironvol-noauth.log 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "the image started without authentication on 0.0.0.0 (exit $code)"
grep -q 'allowed only on a loopback HOST' /tmp/ironvol-noauth.log || fail "the refusal does not say why"

log "running the image (AUTH_STRATEGY=http_basic, credentials mounted read-only)"
auth_dir=$(mktemp -d)
node -e "process.stdout.write('ci:' + require('bcryptjs').hashSync(process.argv[1], 10) + '\n')" ci-password >"$auth_dir/htpasswd"
chmod 755 "$auth_dir" && chmod 644 "$auth_dir/htpasswd"
"${PODMAN[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
started=$(date +%s%N)
"${PODMAN[@]}" run -d "${LIMITS[@]}" --name "$NAME" --network host --read-only -v "$auth_dir:/etc/ironvol/auth:ro" \
  -e PORT="$port" -e DATABASE_URL="$PG_URL" -e MIGRATIONS_RUN=false \
  -e AUTH_STRATEGY=http_basic -e HTTP_BASIC_AUTH_USER_FILE=/etc/ironvol/auth/htpasswd "$IMAGE" >/dev/null
url="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ] && break
  sleep 0.1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] || fail "/readyz never answered 200"
ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))

H='X-OpenStack-Ironic-API-Version: 1.32'
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$H" "$url/v1/volume/connectors")" = 401 ] || fail "an unauthenticated request was not refused"
export CURL_HOME="$auth_dir"
printf 'user = "ci:ci-password"\n' >"$auth_dir/.curlrc"
node=$(curl -sf -H "$H" -H 'Content-Type: application/json' -d '{"driver": "fake-hardware", "name": "image-test"}' "$url/v1/nodes" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["uuid"])') || fail "node create failed"
status=$(curl -s -o /dev/null -w '%{http_code}' -H "$H" -H 'Content-Type: application/json' \
  -d "{\"node_uuid\": \"$node\", \"type\": \"iqn\", \"connector_id\": \"iqn.2017-06.org.example:image\"}" "$url/v1/volume/connectors")
[ "$status" = 201 ] || fail "connector create answered $status"
curl -sf -H "$H" "$url/v1/volume/connectors?node=image-test" | grep -q 'iqn.2017-06.org.example:image' || fail "connector list lacks the connector"
"${PODMAN[@]}" healthcheck run "$NAME" >/dev/null || fail "HEALTHCHECK failed"

log "SIGTERM"
"${PODMAN[@]}" stop -t 30 "$NAME" >/dev/null
code=$("${PODMAN[@]}" inspect "$NAME" --format '{{.State.ExitCode}}')
"${PODMAN[@]}" logs "$NAME" 2>&1 | grep -q '"msg":"stopped"' || fail "no clean shutdown in the logs"
"${PODMAN[@]}" rm -f "$NAME" >/dev/null
[ "$code" = 0 ] || fail "exit code $code after SIGTERM"

rm -rf "$auth_dir"
printf '\ncontainer test passed: image %s MB, ready %s ms after start, exit 0 on SIGTERM\n' "$((size / 1000000))" "$ready_ms"
