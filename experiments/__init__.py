"""Experiments on the model: replications, scenario comparisons, sweeps and sensitivity analysis.

The model is a function of (scenario, size, seed) returning outcomes (:func:`sim.runner.simulate`);
an experiment design is data; the executor (process pool, Dask) is swappable.
"""
