#!/usr/bin/env bash
# Builds the release archive of rendezvous (`./rendezvous dist` runs it; docs/operations.md, "Installing a
# release"): the jar and its libraries, a Java runtime trimmed by jlink from the given JDK, the AOT cache
# trained with that very runtime, bin/rendezvous, the systemd unit and an example environment file —
# everything a machine without Java or Maven needs to run `rendezvous serve`.
# Usage: make-dist.sh --java JDK/bin/java --jar path/to/rendezvous.jar (lib/ beside it) --out DIR [--version V]
# Prints the archive's path on stdout, progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The runtime's modules: `jdeps --ignore-missing-deps --multi-release 25 --print-module-deps` over the jar
# and lib/*.jar (Dec 2026: java.base, java.desktop — java.beans for Jackson, SnakeYAML, Micrometer —,
# java.naming, java.net.http, java.sql, jdk.jfr, jdk.management, jdk.net, jdk.unsupported), plus
# jdk.crypto.ec (TLS and ES256 JWTs on JDKs where EC lives there). Fixed rather than computed at each
# build (jdeps takes ~20 s); re-run that command when a dependency changes and update this list
# (DistArchiveTest then proves the server starts, serves and admits on it).
MODULES=java.base,java.desktop,java.naming,java.net.http,java.sql,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.crypto.ec

die() { echo "rendezvous dist: $*" >&2; exit 1; }

java="" jar="" out="" version=dev
while (($#)); do
  case "$1" in
    --java) java="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    *) die "unknown argument $1 (usage: make-dist.sh --java JAVA --jar JAR --out DIR [--version V])" ;;
  esac
done
[ -n "$java" ] && [ -n "$jar" ] && [ -n "$out" ] || die "usage: make-dist.sh --java JAVA --jar JAR --out DIR [--version V]"
[ -f "$jar" ] && [ -d "$(dirname "$jar")/lib" ] || die "no built jar with lib/ beside it at $jar"
jdk_bin="$(dirname "$(realpath "$java")")"
[ -x "$jdk_bin/jlink" ] || die "$java is not part of a JDK with jlink (set JAVA_HOME to a JDK 25)"
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$jdk_bin")/release" 2>/dev/null || true)"
[[ "$major" =~ ^[0-9]+$ ]] && (( major >= 25 )) || die "the release needs a JDK 25 or newer for its AOT cache; $java is ${major:-of unknown version}"

name="rendezvous-${version:-dev}-linux-$(uname -m)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/$name"
rm -rf "$stage" "$out/$name.tar.gz"
mkdir -p "$stage/bin" "$stage/lib/app/lib" "$stage/lib/systemd" "$stage/etc"

cp "$jar" "$stage/lib/app/rendezvous.jar"
cp -L "$(dirname "$jar")"/lib/*.jar "$stage/lib/app/lib/"
cp "$here/bin/rendezvous" "$stage/bin/rendezvous"
cp "$here/lib/jvm-options.sh" "$stage/lib/jvm-options.sh"
cp "$here/lib/systemd/rendezvous.service" "$stage/lib/systemd/rendezvous.service"
cp "$here/etc/rendezvous.env" "$stage/etc/rendezvous.env"
chmod 755 "$stage/bin/rendezvous"
echo "$version" > "$stage/VERSION"

echo "rendezvous dist: linking a runtime of $MODULES from $(dirname "$jdk_bin")..." >&2
# No jlink compression: the archive is gzipped anyway, and an uncompressed modules file starts faster.
"$jdk_bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
  --output "$stage/runtime" >&2

# The AOT cache, trained by the bundled runtime (a cache is only valid for the JVM that made it) with the
# options bin/rendezvous uses: JVM_DEFAULTS, plus those of RENDEZVOUS_JAVA_OPTS that decide whether a cache
# fits (recorded beside it, so bin/rendezvous uses it only with the same ones).
# shellcheck source=lib/jvm-options.sh
source "$here/lib/jvm-options.sh"
pinned=()
mapfile -t pinned < <(aot_pinned_user_opts)
log="$out/$name-train.log"
echo "rendezvous dist: training the AOT cache with the bundled runtime (a few seconds; log: $log)..." >&2
if ! (cd "$stage" && timeout --kill-after=10 300 runtime/bin/java "${JVM_DEFAULTS[@]}" "${pinned[@]}" \
        -XX:AOTCacheOutput=lib/rendezvous.aot -jar lib/app/rendezvous.jar train >"$log" 2>&1) \
    || [ ! -s "$stage/lib/rendezvous.aot" ]; then
  die "the AOT training run failed (see $log)"
fi
rm -f "$stage/lib/rendezvous.aot.config"
printf '%s\n' "${pinned[@]}" | sed '/^$/d' > "$stage/lib/rendezvous.aot.options"

tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "rendezvous dist: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1); unpacked $(du -sh "$stage" | cut -f1))" >&2
echo "$out/$name.tar.gz"
