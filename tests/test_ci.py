"""Service tests skip with a reason on a laptop, and fail instead of skipping in CI."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_TEST = "tests/test_databases.py::test_redis_counters_are_shared_between_workers"


def run_pytest(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "REDIS_URL"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-rs", REDIS_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_service_the_test_skips_with_a_reason():
    result = run_pytest()
    assert result.returncode == 0, result.stdout
    assert "needs Redis: run with REDIS_URL=" in result.stdout


def test_in_ci_a_skipped_service_test_fails():
    result = run_pytest(CI="1")
    assert result.returncode != 0
    assert "CI must run this test, but it was skipped: " in result.stdout
