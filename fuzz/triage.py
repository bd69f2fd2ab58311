#!/usr/bin/python3
"""Says whose code a libFuzzer finding is in: fuzz/triage.py BINARY ARTIFACT.

Runs the target on the artifact again (fast_unwind_on_malloc=0, so allocation stacks pass through the
system libraries, which have no frame pointers) and finds the innermost frame of the report that is not
the sanitizer or libFuzzer runtime, an allocator entry point or libc. A frame in a shared library of the
system (libhdf5, the OpenCV codecs ...) makes the finding `upstream`: a defect of that library on a corrupt
file, which featpipe cannot fix (it is reported, with its frame, but fails nothing). Anything else, including
a finding whose report has no stack and any exception that escaped (std::terminate), is `featpipe` and exits 1. A finding that does not reproduce when the input
runs alone (a leak or RSS growth that needs the state earlier inputs left, e.g. in HDF5's free lists) is
`unreproduced` and exits 2.
"""
import os
import re
import subprocess
import sys

RUNTIME = re.compile(
    r"^(__interceptor_|__asan|__sanitizer|__lsan|__ubsan|__msan|fuzzer::|malloc$|calloc$|realloc$|free$|"
    r"operator new|operator delete|__libc_|_start$|main$|LLVMFuzzerTestOneInput$)")
FRAME = re.compile(r"^\s+#\d+ 0x[0-9a-f]+(?: in (?P<function>.+?))?\s+(?P<where>\(?/\S+)")


def first_frame(report):
    """The innermost frame that is neither runtime nor libc, as (function, where), or None."""
    for line in report.splitlines():
        match = FRAME.match(line)
        if not match:
            continue
        function = (match["function"] or "").strip()
        where = match["where"].strip("()")
        if RUNTIME.match(function) or "/libc.so" in where or "/libstdc++.so" in where:
            continue
        return function, where
    return None


def in_system_library(where):
    return where.startswith(("/lib/", "/usr/lib/")) and ".so" in where


def main():
    binary, artifact = sys.argv[1], sys.argv[2]
    env = dict(os.environ, ASAN_OPTIONS="allocator_may_return_null=1:fast_unwind_on_malloc=0",
               UBSAN_OPTIONS="print_stacktrace=1")
    try:
        timeout = os.environ.get("FUZZ_TIMEOUT", "5")
        run = subprocess.run([binary, f"-timeout={timeout}", "-rss_limit_mb=2048", "-malloc_limit_mb=2048", artifact],
                             env=env, capture_output=True, text=True, errors="replace", timeout=120)
        report = run.stderr
    except subprocess.TimeoutExpired as e:
        report = e.stderr.decode(errors="replace") if e.stderr else ""
    if "terminate called after throwing" in report:
        print("featpipe: an exception escaped (" + report.split("what():", 1)[-1].strip().splitlines()[0] + ")")
        return 1
    if "ERROR:" not in report and "runtime error" not in report:
        print("unreproduced: the input alone runs cleanly")
        return 2
    frame = first_frame(report)
    if frame is None:
        print("featpipe (no stack)")
        return 1
    function, where = frame
    allocation = report.split("allocated by thread", 1)
    owner = first_frame(allocation[1]) if len(allocation) == 2 else None
    if owner is not None and not in_system_library(owner[1]):
        print(f"featpipe: {function or '?'} overran a buffer of {owner[0]} {owner[1]}")
        return 1
    if in_system_library(where):
        print(f"upstream {os.path.basename(where).split('+')[0]}: {function or '?'}")
        return 0
    print(f"featpipe: {function} {where}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
