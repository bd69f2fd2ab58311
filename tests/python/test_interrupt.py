"""Ctrl-C during a long call raises KeyboardInterrupt with featpipe's message, leaves the interpreter
working, and gives SIGINT back to Python afterwards."""
import os
import signal
import subprocess
import sys
import textwrap
import time

SCRIPT = textwrap.dedent("""
    import signal, sys, time
    import numpy as np
    import featpipe
    images = np.random.default_rng(0).integers(0, 256, (200000, 32, 32), dtype=np.uint8)
    print("ready", flush=True)
    start = time.time()
    try:
        featpipe.extract(images, "hog(cell=4)+lbp", threads=1)
        print("finished", flush=True)
    except KeyboardInterrupt as e:
        print("interrupted after", round(time.time() - start, 1), "s:", e, flush=True)
    # the interpreter goes on: featpipe still works, and SIGINT is Python's again
    print("after", featpipe.extract(images[:2], "raw").shape, flush=True)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    try:
        signal.raise_signal(signal.SIGINT)
    except KeyboardInterrupt:
        print("python handles SIGINT again", flush=True)
""")


def test_ctrl_c_stops_a_long_call():
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=os.environ)
    assert process.stdout.readline().strip() == "ready"
    time.sleep(1.5)  # inside extract: 200000 images take a minute on one thread
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("interrupted after"), out
    assert float(lines[0].split()[2]) < 20
    assert "interrupted by SIGINT" in lines[0]
    assert lines[1] == "after (2, 1024)"
    assert lines[2] == "python handles SIGINT again"
    assert "featpipe: interrupted; stopping at the next safe point" in err
