# Sourced by ./rendezvous and ./run-tests: finds the newest installed JDK 21+ without starting a JVM where it can.
# find_java prints the path of its java binary (or fails with one sentence); java_major prints a binary's version.

java_major() { # prints the feature version of the java binary $1, or 0
  # The JDK's release file answers without starting a JVM (each costs 0.1-0.3 s of the launcher's start).
  local release v
  release="$(dirname "$(dirname "$(realpath "$1" 2>/dev/null || echo "$1")")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    [ -n "$v" ] && { echo "$v"; return; }
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

find_java() { # $JAVA_HOME if it is 21+, else the newest 21+ under the usual places
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  local d
  for d in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    [ -x "$d/bin/java" ] && candidates+=("$d/bin/java")
  done
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  local best="" best_v=0 c v
  for c in "${candidates[@]}"; do
    v=$(java_major "$c" 2>/dev/null || echo 0)
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v >= 21 && v > best_v )); then best="$c"; best_v=$v; fi
  done
  [ -n "$best" ] || { echo "rendezvous: no JDK 21 or newer found (set JAVA_HOME)" >&2; return 1; }
  echo "$best"
}
