"""The warm-up run reaches every compiled pass, so nothing is compiled or loaded while a benchmark
is timed or a teacher clicks Step."""

import subprocess
import sys

CHECK = r"""
import importlib, pkgutil, numba, sim
from sim import scenario as scn
from sim.model import RecoveryModel, warm_up
mods = [importlib.import_module(m.name) for m in pkgutil.walk_packages(sim.__path__, "sim.") if ".app" not in m.name]
passes = {f"{m.__name__}.{k}": v for m in mods for k, v in vars(m).items()
          if isinstance(v, numba.core.registry.CPUDispatcher)}
warm_up()
before = {k: len(v.signatures) for k, v in passes.items()}
for name in ("status-quo", "institutional", "none"):
    RecoveryModel(scn.load(name), n_users=2500, weeks=120, seed=3).run()
late = sorted(k for k, v in passes.items() if len(v.signatures) != before[k])
print("passes", len(passes), "used", sum(1 for n in before.values() if n), "late", late)
"""


def test_warm_up_compiles_every_pass_a_run_uses():
    """In a fresh process: after ``warm_up()``, longer runs of three scenarios call no compiled
    pass with a signature that was not compiled (or loaded) during the warm-up."""
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    line = out.stdout.strip().splitlines()[-1]
    assert line.endswith("late []"), line
    used = int(line.split()[3])
    assert used >= 25, line  # the passes were found (not an empty check)
