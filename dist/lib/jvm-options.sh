# shellcheck shell=bash
# The JVM options of `rendezvous`, in one place: sourced by the source checkout's launcher (./rendezvous)
# and by a release's bin/rendezvous (lib/jvm-options.sh in the archive), so both run the server the same
# way, and the AOT cache is made and used with the same options (docs/operations.md, "JVM options").
# Defines arrays only; RENDEZVOUS_JAVA_OPTS goes after them on the command line, so it overrides them.

# webrtc-java (the `chat` and `doctor` peers) loads its native library from its jar.
NATIVE_ACCESS=(--enable-native-access=ALL-UNNAMED)
# C2 in Temurin 25.0.3 crashed (SIGSEGV in Compile::final_graph_reshaping_walk) compiling Netty's
# ReferenceCountUpdater.retryRelease0 under sustained relay load; that method only runs when a
# reference-count CAS is contended, so leaving it interpreted costs nothing measurable.
JIT_WORKAROUND=(-XX:CompileCommand=quiet -XX:CompileCommand=exclude,io.netty.util.internal.ReferenceCountUpdater::retryRelease0)
# The collector, pinned rather than left to the JVM's ergonomics (which picks Serial below 2 CPUs or
# 1792 MB): the AOT cache is made and used with the same one (docs/operations.md, "JVM options").
GC_DEFAULTS=(-XX:+UseG1GC)
# A collector named in RENDEZVOUS_JAVA_OPTS replaces it: the JVM refuses to start with two
# ("Multiple garbage collectors selected").
for _opt in ${RENDEZVOUS_JAVA_OPTS:-}; do
  case "$_opt" in -XX:+Use*GC) GC_DEFAULTS=() ;; esac
done
unset _opt
# Heap sizing for many idle connections (docs/operations.md, "JVM options"): the JVM's default young
# generation grows to a large share of the heap, and resident memory follows every page the collector
# ever touched, not the ~3 KB of live objects per connection. A fixed 16 MB young generation and a
# heap that keeps little free space keep resident memory near the live size (2.6 KB per idle
# connection); since the relay allocates little per message, relay CPU and latency were unchanged
# within noise (docs/benchmarks-history.md, "Per-connection cost, second pass").
# G1 gives memory back only when it resizes the heap at the end of a concurrent cycle (or a full GC), and
# an idle server starts none; the sessions a churn promoted die in old regions, which only *mixed*
# collections evacuate, and an idle server runs one only when the periodic timer fires. A periodic
# collection (a concurrent cycle or, once one has marked, a mixed collection; never a full GC) every 5 s
# without any other GC: after 5 rounds of 10 000 joins and leaves the mixed collections emptied the old
# regions and the next cycle shrank the heap to its 32 MB start, RSS 141 MB at idle 60 s (start 113 MB);
# every 15 s it still held 221-233 MB at idle 100 s (docs/operations.md, "Memory after churn";
# bench/scripts/churn-rss.py). An idle server pays ~4 ms of CPU a second for it (1.7 ms at 15 s); a busy
# one collects more often than that anyway and never sees it. Not a periodic *full* GC
# (-XX:-G1PeriodicGCInvokesConcurrent): that stops the world each time, 43-740 ms here on a loaded machine.
# -Xms32m: the JVM's default initial heap (1/64 of RAM, 384 MB here) is also the floor G1 never shrinks below,
# and with the AOT cache no early metaspace-triggered cycle shrinks it by accident: a 19 500-connection burst
# then grew the heap to 1.2 GB and RSS by 7.2 KB per connection; from 32 MB, 3.7 KB; 5 rounds of 10 000
# joins and leaves peaked at 263 MB instead of 500 MB (docs/benchmarks-history.md, "Initial heap").
HEAP_DEFAULTS=(-Xms32m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=5000)
# glibc keeps the memory the JVM's threads free in its arenas (16 on 2 CPUs): ~40 MB after the same churn.
# The JVM's native trimmer (malloc_trim every 5 s, never during a safepoint; 0.5-1.6 ms each) gives it
# back: 26 MB less RSS than without it after a full GC. A product option from JDK 22 (experimental in
# 21.0.1+): left out on an older JDK.
NATIVE_HEAP_DEFAULTS=(-XX:TrimNativeHeapInterval=5000)
if declare -F java_major >/dev/null && (( $(java_major "$JAVA") < 22 )); then NATIVE_HEAP_DEFAULTS=(); fi

# All of them, in the order both scripts pass them.
JVM_DEFAULTS=("${NATIVE_ACCESS[@]}" "${JIT_WORKAROUND[@]}" "${GC_DEFAULTS[@]}" "${HEAP_DEFAULTS[@]}" "${NATIVE_HEAP_DEFAULTS[@]}")

# The options of RENDEZVOUS_JAVA_OPTS that decide whether an AOT cache fits (collector, object layout,
# heap bound), one a line: a cache is trained with them, and is only used with the same ones.
aot_pinned_user_opts() {
  local o
  for o in ${RENDEZVOUS_JAVA_OPTS:-}; do
    case "$o" in
      -XX:[+-]Use*GC|-XX:[+-]UseCompressedOops|-XX:[+-]UseCompressedClassPointers|-XX:[+-]UseCompactObjectHeaders|-Xmx*|-XX:MaxHeapSize=*) echo "$o" ;;
    esac
  done
}
