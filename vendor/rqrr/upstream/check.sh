#!/usr/bin/env bash
# Re-checks the upstream patch files in this directory against pristine rqrr
# 0.11.0 from crates.io (the version vendor/rqrr copies): each applies on its
# own, all four apply together, and with --test the patched crate's unit tests
# pass (built in a temporary target directory, deleted afterwards).
#   vendor/rqrr/upstream/check.sh [--test]
# Not part of ./dev test: it needs the pristine crate (fetched by cargo when
# missing) and, with --test, a full build of rqrr with its upstream features.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=0.11.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pristine=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/rqrr-$version 2>/dev/null | head -n 1 || true)
if [ -z "$pristine" ]; then
  # An empty crate that depends on the exact version makes cargo download it.
  mkdir -p "$work/fetch/src"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nrqrr = { version = "=%s", default-features = false }\n' "$version" > "$work/fetch/Cargo.toml"
  touch "$work/fetch/src/lib.rs"
  cargo fetch --quiet --manifest-path "$work/fetch/Cargo.toml"
  pristine=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/rqrr-$version | head -n 1)
fi

fresh_copy() {
  rm -rf "$work/rqrr"
  cp -r "$pristine" "$work/rqrr"
}

for patch in "$here"/[0-9][0-9][0-9][0-9]-*.patch; do
  fresh_copy
  (cd "$work/rqrr" && patch --quiet --dry-run -p1 < "$patch") || { echo "does not apply to rqrr $version: $(basename "$patch")" >&2; exit 1; }
  echo "applies alone: $(basename "$patch")"
done

fresh_copy
for patch in "$here"/[0-9][0-9][0-9][0-9]-*.patch; do
  (cd "$work/rqrr" && patch --quiet -p1 < "$patch")
done
echo "all apply together"

if [ "${1:-}" = "--test" ]; then
  # --lib: the crate's doctest opens tests/data/github.gif, which the
  # crates.io package does not ship, with or without these patches.
  (cd "$work/rqrr" && CARGO_TARGET_DIR="$work/target" cargo test --quiet --lib)
  echo "unit tests pass with all patches"
fi
