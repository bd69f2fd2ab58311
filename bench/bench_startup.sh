#!/usr/bin/env bash
# Start-up of the featpipe binary, warm: `featpipe --version`, `featpipe --help` and `featpipe datasets`
# against `true`, the floor (what starting any process costs on this machine). Every command first runs a
# few times so that its libraries are in the page cache; then the rounds run each command once in turn, so
# that a busy moment of a shared machine slows all of them alike. Prints the median of RUNS rounds (default
# 50) in ms, the ratio to the floor, and whether `featpipe --version` is under TARGET_MS (default 30).
set -euo pipefail
FEATPIPE=${FEATPIPE:-build/featpipe}
RUNS=${RUNS:-50}
TARGET_MS=${TARGET_MS:-30}
PY=/usr/bin/python3

[[ -x $FEATPIPE ]] || {
  echo "bench_startup: no featpipe binary at $FEATPIPE (set FEATPIPE)" >&2
  exit 2
}
echo "featpipe: $FEATPIPE, $(ldd "$FEATPIPE" | wc -l) shared libraries at start (ldd)"

"$PY" - "$FEATPIPE" "$RUNS" "$TARGET_MS" <<'PYEOF'
import os, shutil, statistics, sys, time

featpipe, runs, target_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
commands = [
    ("true (floor)", [shutil.which("true")]),
    ("featpipe --version", [featpipe, "--version"]),
    ("featpipe --help", [featpipe, "--help"]),
    ("featpipe datasets", [featpipe, "datasets"]),
]
devnull = os.open(os.devnull, os.O_WRONLY)
quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]


def seconds(argv):
    """Wall time of one run, from spawn to exit."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=quiet)
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench_startup: {' '.join(argv)} failed")
    return elapsed


for _ in range(5):
    for _, argv in commands:
        seconds(argv)
times = {name: [] for name, _ in commands}
for _ in range(runs):
    for name, argv in commands:
        times[name].append(seconds(argv))

floor = statistics.median(times["true (floor)"])
print(f"median of {runs} warm runs each, interleaved")
print(f"{'':22s} {'ms':>8s} {'x floor':>8s} {'min ms':>8s} {'max ms':>8s}")
for name, _ in commands:
    t = times[name]
    median = statistics.median(t)
    print(f"{name:22s} {median * 1e3:8.2f} {median / floor:8.1f} {min(t) * 1e3:8.2f} {max(t) * 1e3:8.2f}")
version_ms = statistics.median(times["featpipe --version"]) * 1e3
verdict = "under" if version_ms < target_ms else "OVER"
print(f"featpipe --version: {version_ms:.2f} ms, {verdict} the {target_ms:g} ms target")
PYEOF
