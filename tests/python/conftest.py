"""Shared fixtures of the Python module's tests: the featpipe command they compare with, and a folder."""
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def featpipe_cli():
    """Runs the featpipe command of this build (FEATPIPE_BINARY, set by CTest) and returns its output."""
    binary = os.environ.get("FEATPIPE_BINARY", "featpipe")

    def run(*args):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError(f"featpipe {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
        return done.stdout

    return run
