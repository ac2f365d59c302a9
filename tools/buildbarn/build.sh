#!/usr/bin/env bash
# Builds Buildbarn's bb_storage, bb_scheduler, bb_worker and bb_runner (test peers for kiln's
# remote-execution tests; never shipped) into $1 (default /root/.cache/kiln-ci/bin).
#
# Buildbarn is built with Bazel upstream, which patches some dependencies. `go build` needs one of
# those patches: bb-storage's service-registrar.diff for googleapis/bytestream (bb_storage registers
# ByteStream on a grpc.ServiceRegistrar). The patched copy lives next to the binaries, outside the
# repository, and a throw-away copy of this module points at it with a replace line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/root/.cache/kiln-ci/bin}"
work="$(dirname "$out")/buildbarn-src"
mkdir -p "$out" "$work"
export GOFLAGS=-mod=mod

# `go list -m` gives a module's folder only once it is in the module cache: on a fresh machine
# download the two whose files are read here first.
(cd "$here" && go mod download github.com/buildbarn/bb-storage google.golang.org/genproto/googleapis/bytestream)
storage_dir="$(cd "$here" && go list -m -f '{{.Dir}}' github.com/buildbarn/bb-storage)"
bytestream_version="$(cd "$here" && go list -m -f '{{.Version}}' google.golang.org/genproto/googleapis/bytestream)"
bytestream_dir="$(cd "$here" && go list -m -f '{{.Dir}}' google.golang.org/genproto/googleapis/bytestream)"

for dir in "$storage_dir" "$bytestream_dir"; do
  [ -n "$dir" ] && [ -d "$dir" ] || { echo "buildbarn: a module folder is missing after go mod download" >&2; exit 1; }
done

patched="$work/bytestream-$bytestream_version"
if [ ! -f "$patched/.patched" ]; then
  rm -rf "$patched"
  cp -r "$bytestream_dir" "$patched"
  chmod -R u+w "$patched"
  (cd "$patched" && patch -p0 < "$storage_dir/patches/org_golang_google_genproto_googleapis_bytestream/service-registrar.diff")
  touch "$patched/.patched"
fi

module="$work/module"
rm -rf "$module"
mkdir -p "$module"
cp "$here/go.mod" "$here/go.sum" "$module/"
cd "$module"
go mod edit -replace "google.golang.org/genproto/googleapis/bytestream=$patched"
go build -o "$out/" \
  github.com/buildbarn/bb-storage/cmd/bb_storage \
  github.com/buildbarn/bb-remote-execution/cmd/bb_scheduler \
  github.com/buildbarn/bb-remote-execution/cmd/bb_worker \
  github.com/buildbarn/bb-remote-execution/cmd/bb_runner
