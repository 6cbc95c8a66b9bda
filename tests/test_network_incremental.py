"""Updated neighbour sums (sim/network/exposure.py) equal the sums recomputed from the whole matrix.

Between rebuilds of the peer matrix, the sober degree and the second step of the contagion
exposure are updated for the users whose status changed. Over a run with many changes these must
equal a fresh computation: exactly for the degree (whole-number weights), within 1e-12 for the
exposure (rounding of the updates).
"""

import numpy as np

from sim import scenario as scn
from sim.codes import USING
from sim.model import RecoveryModel


def test_updated_degree_and_exposure_equal_fresh_sums():
    m = RecoveryModel(scn.load("status-quo"), n_users=1500, weeks=80, seed=8)
    checked = 0
    for _ in range(80):
        m.step()
        net, u = m.network, m.users
        using = u.status == USING
        fresh_degree = net.peer @ (~using).astype(float)
        assert np.array_equal(net.sober_degree(~using), fresh_degree)
        strength = np.asarray(net.peer.sum(axis=1)).ravel()
        inv = np.where(strength > 0, 1.0 / np.maximum(strength, 1e-12), 0.0)
        first = (net.peer @ using.astype(float)) * inv
        fresh = first + 0.5 * (net.peer @ first) * inv
        assert np.allclose(net.exposure(using, 0.5), fresh, rtol=0, atol=1e-12)
        checked += int(using.any())
    assert checked > 40  # most weeks had users using, so the updates were exercised


def test_symmetric_matrix_builder_equals_scipy():
    """The compiled builder of symmetric tie matrices gives scipy's canonical matrix exactly
    (repeated ties added up, columns sorted), for whole and fractional weights."""
    import scipy.sparse as sp

    from sim.network.ties import _csr_symmetric

    rng = np.random.default_rng(3)
    for n, m, w in [
        (10, 30, 1.0),
        (1000, 5000, 0.7),
        (20000, 4000, 1.0),
        (50, 4000, 2.5),
        (5, 0, 1.0),
    ]:
        a, b = rng.integers(0, n, m), rng.integers(0, n, m)
        a, b = a[a != b], b[a != b]
        ref = sp.csr_matrix(
            (np.full(2 * len(a), w), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n)
        )
        ref.sum_duplicates()
        ref.sort_indices()
        indptr, indices, data = _csr_symmetric(a, b, w, n)
        assert np.array_equal(indptr, ref.indptr) and np.array_equal(indices, ref.indices)
        assert np.array_equal(data, ref.data)
