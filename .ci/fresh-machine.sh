#!/usr/bin/env bash
# Proof that kiln cooks on a fresh machine with nothing but Node and npm (issue 12).
#
# Inside a private mount namespace (unshare -m; needs root, as CI has) the system pieces kiln's
# native accelerators used to need are hidden: libomp.so.5 (bc7enc), glslangValidator (Debian
# glslang-tools) and the Debian fonts. A clean copy of the tracked files then runs
#   1. the README's quick start, literally: npm install && npx kiln build //levels/forest:bundle
#   2. npm ci, and kiln build //... for every platform the sample declares: 0 failed, 0 skipped
#   3. kiln doctor, and a build that opts into a hidden native tool: a tool-missing error that
#      names the library and the fix, exit 1.
# Prints one "fresh-machine: ..." line per step and exits non-zero on the first broken promise.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

if [ "${1:-}" != "--inside" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
    echo "fresh-machine: needs root and unshare (util-linux) for a private mount namespace" >&2
    exit 1
  fi
  exec unshare --mount --propagation private "$0" --inside
fi

hidden=()
hide_file() { # bind /dev/null over a file: opening or executing it fails like a missing file
  local real; real="$(readlink -f "$1")"
  [ -f "$real" ] || return 0
  mount --bind /dev/null "$real"
  hidden+=("$1")
}
for lib in $(ldconfig -p | awk '/libomp\.so\.5 /{print $NF}') /usr/lib/llvm-*/lib/libomp.so.5; do hide_file "$lib"; done
for exe in $(type -ap glslangValidator || true); do hide_file "$exe"; done
if [ -d /usr/share/fonts ]; then mount -t tmpfs tmpfs /usr/share/fonts; hidden+=(/usr/share/fonts); fi
echo "fresh-machine: hidden: ${hidden[*]:-(nothing was installed)}"
# Self-check: the hiding worked.
for f in "${hidden[@]}"; do [ -d "$f" ] || [ ! -s "$(readlink -f "$f")" ] || { echo "fresh-machine: $f is still readable" >&2; exit 1; }; done
[ -z "$(ls -A /usr/share/fonts 2>/dev/null)" ] || { echo "fresh-machine: /usr/share/fonts still visible" >&2; exit 1; }

work="$(mktemp -d /tmp/kiln-fresh-XXXXXX)"
trap 'rm -rf "$work"' EXIT
copy() { # the tracked files only, as a clone has them
  mkdir -p "$1"
  git -C "$repo" ls-files -z | (cd "$repo" && tar --null -T - -cf -) | tar -xf - -C "$1"
}

# 1. The README's quick start, literally.
copy "$work/quick"
cd "$work/quick"
quick="$(sed -n '/^## Quick start/,/^## /p' README.md | grep -m1 '^npm install && npx kiln build' | sed 's/ *#.*$//')"
[ -n "$quick" ] || { echo "fresh-machine: README has no quick start command" >&2; exit 1; }
echo "fresh-machine: running the README's quick start: $quick"
start=$SECONDS
bash -c "$quick" > quick.log 2>&1 || { tail -30 quick.log; echo "fresh-machine: the quick start failed" >&2; exit 1; }
[ -s kiln-out/desktop/levels/forest/bundle.tar ] || { echo "fresh-machine: quick start wrote no kiln-out/desktop/levels/forest/bundle.tar" >&2; exit 1; }
echo "fresh-machine: quick start ok in $((SECONDS - start)) s: $(tail -1 quick.log)"

# 2. npm ci, then every sample platform.
copy "$work/all"
cd "$work/all"
start=$SECONDS
npm ci --no-audit --no-fund > ci.log 2>&1 || { tail -30 ci.log; echo "fresh-machine: npm ci failed" >&2; exit 1; }
echo "fresh-machine: npm ci ok in $((SECONDS - start)) s"
platforms="$(node -e '
  const { parse } = require("yaml");
  const root = parse(require("fs").readFileSync("assets.yaml", "utf8"));
  console.log(Object.keys(root.platforms).join(" "));
')"
for platform in $platforms; do
  start=$SECONDS
  set +e
  npx kiln build //... --platform "$platform" --keep-going --summary-json "summary-$platform.json" > "build-$platform.log" 2>&1
  status=$?
  set -e
  counts="$(node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${s.executed + s.cached} built, ${s.failed} failed, ${s.skipped} skipped`);
    process.exit(s.failed === 0 && s.skipped === 0 ? 0 : 1);
  ' "summary-$platform.json")" || { tail -30 "build-$platform.log"; echo "fresh-machine: $platform: $counts" >&2; exit 1; }
  [ "$status" = 0 ] || { tail -30 "build-$platform.log"; echo "fresh-machine: $platform: exit $status" >&2; exit 1; }
  echo "fresh-machine: $platform: $counts in $((SECONDS - start)) s"
done

# 3. A native tool that cannot run here is a clear tool-missing error, and doctor says so.
if [ "$(uname -m)" = x86_64 ]; then
  npx kiln doctor --json > doctor.json || true
  node -e '
    const d = JSON.parse(require("fs").readFileSync("doctor.json", "utf8"));
    const bc7 = d.tools.find((t) => t.name === "bc7enc");
    const glslang = d.tools.find((t) => t.name === "glslangValidator");
    const wasm = d.tools.filter((t) => t.kind === "wasm");
    if (!bc7 || bc7.runs || !/libomp\.so\.5/.test(bc7.detail) || !/apt-get install libomp5/.test(bc7.fix)) throw new Error("doctor: bc7enc " + JSON.stringify(bc7));
    if (!glslang || glslang.found) throw new Error("doctor: glslangValidator " + JSON.stringify(glslang));
    if (wasm.some((t) => !t.runs)) throw new Error("doctor: a wasm tool does not run: " + JSON.stringify(wasm));
  '
  sed -i 's/^  desktop:$/  desktop-native:\n    texture: { format: bc7, encoder: native }\n  desktop:/' assets.yaml
  set +e
  npx kiln build //levels/forest:bark --platform desktop-native > native.log 2>&1
  status=$?
  set -e
  [ "$status" = 1 ] || { cat native.log; echo "fresh-machine: a build needing the hidden libomp exited $status, not 1" >&2; exit 1; }
  grep -q 'libomp.so.5' native.log && grep -q 'apt-get install libomp5' native.log || { cat native.log; echo "fresh-machine: the tool-missing error does not name libomp.so.5 and its fix" >&2; exit 1; }
  echo "fresh-machine: encoder: native without libomp: $(grep -m1 'libomp' native.log)"
fi
echo "fresh-machine: ok"
