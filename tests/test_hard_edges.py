"""Hard edges of every command: one line naming the field, exit 2, no traceback, no warnings.

Each case runs the command line in a subprocess. Cases about permissions run as an
unprivileged user (root may write anywhere): as root, the command drops to uid 65534 after
its imports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
NOBODY = 65534
AS_NOBODY = (
    "import os, sys; import sim.cli, sim.guards, sim.runner, sim.scenario, experiments.cli, "
    "experiments.design, experiments.executors, experiments.sweep; "
    f"os.setgid({NOBODY}); os.setuid({NOBODY}); sys.exit(sim.cli.main(sys.argv[1:]))"
)
BAD_WORDS = ("Traceback", "leaked", "resource_tracker", "Warning", "warning:")

#: every command that writes an output folder (bench writes one file)
COMMANDS = {
    "run": ["run", "--users", "50", "--weeks", "2"],
    "report": ["report", "--users", "50", "--weeks", "2", "--replications", "1"],
    "compare": ["compare", "--users", "50", "--weeks", "2", "--replications", "1"],
    "sweep": ["sweep", "--design", "design.toml"],
    "sensitivity": ["sensitivity", "--method", "morris", "--design", "design.toml"],
    "calibrate": ["calibrate", "--trials", "1", "--users", "50", "--weeks", "2", "--no-install"],
    "validate": ["validate", "--users", "50", "--weeks", "2", "--replications", "1"],
}


@pytest.fixture
def place():
    """A folder every user can enter, with a file, a design and a scenario in it."""
    folder = Path(tempfile.mkdtemp(prefix="edges-"))
    folder.chmod(0o755)
    (folder / "afile").write_text("x")
    (folder / "design.toml").write_text(
        'name = "d"\nusers = 50\nweeks = 2\n[factors]\npeer_staff = [0.0, 1.0]\n'
    )
    yield folder
    for p in folder.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(folder, ignore_errors=True)


def cli(args, cwd, as_nobody=False, env=None, timeout=120):
    code = ["-c", AS_NOBODY] if (as_nobody and IS_ROOT) else ["-m", "sim"]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, *code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def one_line_exit_2(proc, *needles):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert len(lines) == 1, proc.stderr[-2000:]
    for word in BAD_WORDS:
        assert word not in proc.stderr, proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# --- output paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_out_that_is_a_file(command, place):
    line = one_line_exit_2(cli([*COMMANDS[command], "--out", "afile"], place), "--out", "afile")
    assert "is a file, not a folder" in line


def test_bench_out_under_a_file(place):
    one_line_exit_2(cli(["bench", "--out", "afile/bench.json"], place), "--out", "afile")


def test_validate_doc_that_is_a_folder(place):
    one_line_exit_2(cli([*COMMANDS["validate"], "--doc", "."], place), "--doc", "is a folder")


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_out_under_a_file(command, place):
    line = one_line_exit_2(cli([*COMMANDS[command], "--out", "afile/sub"], place), "--out")
    assert "lies under 'afile', which is a file" in line


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_out_dev_null(command, place):
    one_line_exit_2(cli([*COMMANDS[command], "--out", "/dev/null"], place), "--out", "/dev/null")


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_out_name_too_long(command, place):
    line = one_line_exit_2(cli([*COMMANDS[command], "--out", "x" * 300], place), "--out")
    assert "too long (300 bytes; at most 255" in line


@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_out_in_an_unwritable_folder(command, place):
    locked = place / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    proc = cli([*COMMANDS[command], "--out", "locked/new"], place, as_nobody=True)
    one_line_exit_2(proc, "--out", "cannot create 'locked/new'", "not writable")
    proc = cli([*COMMANDS[command], "--out", "locked"], place, as_nobody=True)
    one_line_exit_2(proc, "--out", "folder 'locked' is not writable")


# --- inputs ------------------------------------------------------------------------------------


def test_unreadable_scenario_file(place):
    secret = place / "secret.toml"
    secret.write_text('name = "secret"\n')
    secret.chmod(0o000)
    (place / "open").mkdir(mode=0o777)
    (place / "open").chmod(0o777)
    proc = cli(["run", "--scenario", "secret.toml", "--out", "open/o"], place, as_nobody=True)
    one_line_exit_2(proc, "cannot read 'secret.toml' (permission denied)")


def test_scenario_file_that_is_a_folder_or_not_text(place):
    (place / "folder.toml").mkdir()
    one_line_exit_2(cli(["run", "--scenario", "folder.toml"], place), "is a folder")
    (place / "binary.toml").write_bytes(b"\xff\xfe\x00name")
    one_line_exit_2(cli(["compare", "--scenarios", "binary.toml"], place), "not UTF-8 text")


def test_unreadable_design_file(place):
    (place / "design.toml").chmod(0o000)
    proc = cli(["sweep", "--design", "design.toml", "--dry-run"], place, as_nobody=True)
    one_line_exit_2(proc, "--design", "permission denied")


# --- scheduler addresses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, expect",
    [
        ("garbage", "is not a scheduler address"),
        ("tcp://", "is not a scheduler address"),
        ("tcp://127.0.0.1:99999", "is not a scheduler address"),
        ("http://127.0.0.1:1", "scheme 'http://' is not supported"),
        ("inproc://x", "scheme 'inproc://' is not supported"),
        ("empty.json", "holds no scheduler address"),
        ("broken.json", "holds no scheduler address"),
        ("list.json", "holds no scheduler address"),
    ],
)
def test_malformed_scheduler(address, expect, place):
    (place / "empty.json").write_text("")
    (place / "broken.json").write_text('{"address": ')
    (place / "list.json").write_text("[1, 2]")
    proc = cli([*COMMANDS["compare"], "--out", "o", "--scheduler", address], place)
    one_line_exit_2(proc, "--scheduler", expect)
    assert not (place / "o").exists()


def test_unreachable_scheduler(place):
    env = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    proc = cli(
        [*COMMANDS["sweep"], "--out", "o", "--scheduler", "tcp://127.0.0.1:1"], place, env=env
    )
    one_line_exit_2(proc, "--scheduler: cannot reach a Dask scheduler at tcp://127.0.0.1:1")


# --- sizes -------------------------------------------------------------------------------------


def test_users_that_overflow(place):
    proc = cli(["run", "--users", "9" * 29, "--weeks", "2"], place)
    one_line_exit_2(proc, "--users must be at most 2,147,483,647", "29-digit")


@pytest.mark.parametrize("command", ["run", "compare", "calibrate", "validate"])
def test_users_beyond_the_memory_available(command, place):
    args = [command, "--users", "1000000000", "--out", "o"]
    line = one_line_exit_2(cli(args, place, timeout=30), "--users 1,000,000,000")
    assert "would need about 1,907.6 GB of memory" in line and "is available" in line


def test_design_users_beyond_the_memory_available(place):
    (place / "big.toml").write_text(
        'name = "big"\nusers = 1000000000\n[factors]\npeer_staff = 0.5\n'
    )
    line = one_line_exit_2(cli(["sweep", "--design", "big.toml", "--dry-run"], place, timeout=30))
    assert "'users' 1,000,000,000: a run would need about" in line


# --- pipes and installs ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["params"], ["params", "--markdown"], ["scenarios"]])
def test_closed_pipe_ends_quietly(command, place):
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *command],
        cwd=place,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == "", err
    assert proc.returncode in (0, 141)


def test_runs_from_a_read_only_installation(place):
    """The package copied and made read-only; the compiled kernels go to the user's cache."""
    install = place / "install"
    for pkg in ("sim", "experiments"):
        shutil.copytree(ROOT / pkg, install / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    for p in install.rglob("*"):
        p.chmod(0o555 if p.is_dir() else 0o444)
    install.chmod(0o555)
    cache, home = place / "cache", place / "home"
    for d in (cache, home):
        d.mkdir()
        d.chmod(0o777)
    before = sorted(str(p) for p in install.rglob("*"))
    # (as root the modes do not stop writes, but anything written beside the package shows)
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "run", "--users", "100", "--weeks", "3", "--no-figures"]
        + ["--out", str(place / "out")],
        cwd=place,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "PYTHONPATH": str(install),
            "HOME": str(home),
            "XDG_CACHE_HOME": str(cache),
            "PYTHONDONTWRITEBYTECODE": "1",
            "RECOVERY_SIM_CACHE": "",
            "NUMBA_CACHE_DIR": "",
        },
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert (place / "out" / "summary.json").is_file()
    assert sorted(str(p) for p in install.rglob("*")) == before  # nothing written beside it
    assert list(cache.rglob("*.nbi")), "numba cached nothing in the user cache folder"


def test_weeks_beyond_the_memory_available(place):
    line = one_line_exit_2(cli(["run", "--weeks", "1" + "0" * 12], place, timeout=30), "--weeks")
    assert "the weekly record alone would need about" in line and "is available" in line


def test_design_too_large_to_plan(place):
    (place / "huge.toml").write_text(
        'name = "huge"\n[factors]\npeer_staff = { low = 0.0, high = 1.0, steps = 1000000 }\n'
        "aftercare_coverage = { low = 0.0, high = 1.0, steps = 1000000 }\n"
    )
    line = one_line_exit_2(cli(["sweep", "--design", "huge.toml", "--dry-run"], place, timeout=60))
    assert "1,000,000,000,000 points x 1 replications" in line and "too large" in line


def test_control_characters_in_input_are_escaped(place):
    (place / "nl.toml").write_text('"le\\nvers" = 1\n')
    line = one_line_exit_2(cli(["run", "--scenario", "nl.toml"], place))
    assert "unknown key 'le\\nvers'" in line
