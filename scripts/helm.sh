#!/usr/bin/env bash
# Runs the helm binary shipped inside the npm package @aws-cdk/asset-kubectl-v20
# (a devDependency), unpacked once into .tools/. No download from elsewhere.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
helm="$root/.tools/helm/helm"
if [ ! -x "$helm" ]; then
  zip="$root/node_modules/@aws-cdk/asset-kubectl-v20/lib/layer.zip"
  [ -f "$zip" ] || { echo "helm.sh: $zip is missing; run npm ci" >&2; exit 1; }
  mkdir -p "$root/.tools"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' "$zip" "$root/.tools"
  chmod +x "$helm"
fi
exec "$helm" "$@"
