"""The social network (brief section 3) and process 5, network support.

Ties between people of the simulated cohort are edge lists (``src``, ``dst``, ``kind``) turned
into scipy.sparse CSR matrices: ``peer`` (users x users: scene acquaintances, group peers,
housemates) and ``kin`` (users x relatives). Ties to people outside the cohort are counts per
user (``using_ties``, ``sober_ties``). Neighbour sums are sparse products, kept up to date
between rebuilds.

State: :mod:`sim.network.state`; ties and the peer matrix: :mod:`sim.network.ties`; exposure
and sober degree: :mod:`sim.network.exposure`; rules: :mod:`sim.network.rules`; compiled
passes: :mod:`sim.network.kernel`; the week: :mod:`sim.network.step`.
"""

from sim.network.rules import REBUILD_INTERVAL
from sim.network.state import KIN_SUMS, Network
from sim.network.step import network_step
from sim.network.ties import SCENE_SIZE, _csr_symmetric

__all__ = [
    "KIN_SUMS",
    "REBUILD_INTERVAL",
    "SCENE_SIZE",
    "Network",
    "_csr_symmetric",
    "network_step",
]
