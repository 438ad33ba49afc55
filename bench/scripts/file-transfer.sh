#!/bin/bash
# `rendezvous send` → `rendezvous receive` of one file between two processes on this machine, RUNS times,
# through a fresh `rendezvous serve` on 127.0.0.1, WebRTC in loopback ICE mode (every packet on 127.0.0.1).
# Prints one line per run: the load average, the receiver's figures (its `done` event: seconds from
# `started` to the verified rename, bytes/s), the sender's whole wall time (hashing the file first
# included), and the receiving process's resident memory: peak (VmHWM) and the largest VmRSS sampled
# every 0.2 s, so a receiver that held the file would show it.
#   bench/scripts/file-transfer.sh 3              # 1 GiB, 3 runs
#   SIZE_MIB=256 bench/scripts/file-transfer.sh 3 # the same with 256 MiB: the RSS must not scale with it
#   RX_JAVA_OPTS=-Xmx64m bench/scripts/file-transfer.sh 1  # extra JVM options for the receiver only
#   APP_DIR=/tmp/app-main bench/scripts/file-transfer.sh 1  # a jar built elsewhere (rendezvous.jar + lib/), for A/B
# The payload is random bytes made once in $WORK (default /tmp/rendezvous-file-bench); received copies
# are deleted after each run. Only the processes this script started are stopped (by PID).
set -u
RUNS=${1:-3}
SIZE_MIB=${SIZE_MIB:-1024}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="${WORK:-/tmp/rendezvous-file-bench}"
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
SERVER_URL="ws://127.0.0.1:$PORT/ws"
mkdir -p "$WORK/in"
PAYLOAD="$WORK/payload-$SIZE_MIB.bin"
if [ "$(stat -c %s "$PAYLOAD" 2>/dev/null || echo 0)" != "$((SIZE_MIB << 20))" ]; then
  head -c "$((SIZE_MIB << 20))" /dev/urandom > "$PAYLOAD"
fi

# shellcheck source=../../dist/lib/find-java.sh
source "$ROOT/dist/lib/find-java.sh"
JAVA="$(find_java)"
if [ -z "${APP_DIR:-}" ]; then
  (cd "$ROOT" && ./rendezvous --version > /dev/null) || exit 1 # builds the jar if sources changed
fi
# every process runs the jar under test with the launcher's JDK and JVM options (dist/lib/jvm-options.sh),
# from a copy: the launcher would rebuild mid-run if a source changed meanwhile.
APP_DIR="${APP_DIR:-$ROOT/cli/target}"
rm -rf "$WORK/app" && mkdir -p "$WORK/app" && cp -r "$APP_DIR/rendezvous.jar" "$APP_DIR/lib" "$WORK/app/"
# shellcheck source=../../dist/lib/jvm-options.sh
source "$ROOT/dist/lib/jvm-options.sh"
"$JAVA" "${JVM_DEFAULTS[@]}" -jar "$WORK/app/rendezvous.jar" serve --host 127.0.0.1 --port "$PORT" > "$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
for _ in $(seq 1 150); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.2; done
field() { # field NAME < one JSON line
  python3 -c 'import json, sys; print(json.loads(sys.stdin.readline()).get(sys.argv[1], ""))' "$1"
}

for run in $(seq 1 "$RUNS"); do
  rm -f "$WORK/in/"* "$WORK/receive.jsonl" # an old code must not be read before the new receiver writes its own
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  "$JAVA" "${JVM_DEFAULTS[@]}" ${RX_JAVA_OPTS:-} -jar "$WORK/app/rendezvous.jar" receive --dir "$WORK/in" --server "$SERVER_URL" --ice-loopback --json \
      > "$WORK/receive.jsonl" 2> "$WORK/receive.err" &
  RX=$!
  for _ in $(seq 1 300); do grep -q '"event":"code"' "$WORK/receive.jsonl" 2>/dev/null && break; sleep 0.1; done
  CODE=$(grep -m1 '"event":"code"' "$WORK/receive.jsonl" | field code)
  ( max=0
    while kill -0 "$RX" 2>/dev/null; do
      rss=$(awk '/^VmRSS/ {print $2}' "/proc/$RX/status" 2>/dev/null || echo 0)
      hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$RX/status" 2>/dev/null || echo 0)
      [ -n "$rss" ] && [ "$rss" -gt "$max" ] && max=$rss
      [ -n "$hwm" ] && echo "$max $hwm" > "$WORK/rss.txt"
      sleep 0.2
    done ) &
  SAMPLER=$!
  T0=$(date +%s.%N)
 "$JAVA" "${JVM_DEFAULTS[@]}" ${TX_JAVA_OPTS:-} -jar "$WORK/app/rendezvous.jar" send "$PAYLOAD" --pair "$CODE" --server "$SERVER_URL" --ice-loopback --json \
      > "$WORK/send.jsonl" 2> "$WORK/send.err"
  SEND_EXIT=$?
  T1=$(date +%s.%N)
  wait "$RX"; RX_EXIT=$?
  wait "$SAMPLER"
  DONE=$(grep -m1 '"event":"done"' "$WORK/receive.jsonl")
  SECONDS_RX=$(echo "$DONE" | field seconds)
  RATE=$(echo "$DONE" | field bytes_per_second)
  read -r MAXRSS HWM < "$WORK/rss.txt"
  echo "run $run size=${SIZE_MIB}MiB load=[$LOAD] exit send/receive=$SEND_EXIT/$RX_EXIT" \
    "receiver: $(python3 -c "print(f'{float(\"${SECONDS_RX:-0}\"):.2f} s, {int(\"${RATE:-0}\") / 1048576:.1f} MiB/s')")" \
    "sender wall (hash + transfer + JVM start): $(python3 -c "print(f'{$T1 - $T0:.2f} s')")" \
    "receiver RSS: max sampled $((MAXRSS / 1024)) MiB, peak (VmHWM) $((HWM / 1024)) MiB"
  cmp -s "$PAYLOAD" "$WORK/in/$(basename "$PAYLOAD")" || echo "run $run: the received file differs or is missing"
done
rm -f "$WORK/in/"*
