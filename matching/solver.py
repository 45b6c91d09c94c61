"""Max-cardinality, then min-cost assignment on a sparse candidate graph.

Volunteers are expanded into capacity *columns* (capacity c -> c columns; the j-th column of
a volunteer costs ``extra_slot_step * j`` more, so work spreads over volunteers). The
bipartite graph (requests x volunteers) is split into connected components
(``scipy.sparse.csgraph.connected_components``); each component is solved independently:

* small components: ``scipy.optimize.linear_sum_assignment`` on a dense submatrix where
  non-edges cost BIG;
* large components (rows x columns > ``dense_limit``): ``min_weight_full_bipartite_matching``
  (sparse LAPJV) with a private dummy column costing BIG for every request that some
  maximum matching leaves unmatched, so that a full matching always exists. Tests prove
  both give the same optimum.

BIG = (max matching size) * (max edge cost + 1) + 1 exceeds the cost of *any* set of real
edges, so using one more real edge (one dummy/BIG fewer) always lowers the total: the
optimum has maximum cardinality and, among those, minimum cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from matching.lsap import linear_sum_assignment

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# scipy.sparse and its csgraph are imported in the functions that use them: about 0.15 s
# that every start-up of the app (web, each `flask` command) paid, most never solving.

FloatArr = NDArray[np.float64]
IntArr = NDArray[np.int64]

#: Components with rows x columns above this use the sparse solver (dense would be slow).
DENSE_LIMIT = 250_000
#: Components with at least this many requests are solved on costs rounded to a multiple of
#: the ``quantum`` (when one is given); smaller ones always on the exact costs.
QUANTIZE_MIN_ROWS = 1_000


@dataclass(frozen=True)
class Expanded:
    """Capacity-expanded edges: (x,) request, volunteer, column j of that volunteer, cost."""

    req: IntArr
    vol: IntArr
    j: IntArr
    cost: FloatArr
    edge: IntArr  # index into the unexpanded edge list
    col: IntArr  # capacity column: offset of the volunteer's free columns + offset among them
    n_col: int  # number of capacity columns (sum of free capacities)


def expand(req: IntArr, vol: IntArr, cost: FloatArr, free_cap: IntArr, first_j: IntArr,
           step: float) -> Expanded:
    """Repeat each edge once per free capacity column of its volunteer.

    ``free_cap`` (n_v,) columns left; ``first_j`` (n_v,) index of the first free column
    (locked pairs use the columns before it). Column j costs ``step * j`` extra.
    """
    reps = free_cap[vol]
    edge = np.repeat(np.arange(req.shape[0], dtype=np.int64), reps)
    offset = np.arange(edge.shape[0], dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    j = first_j[vol[edge]] + offset
    col_off = np.cumsum(free_cap) - free_cap
    col = col_off[vol[edge]] + offset
    return Expanded(req[edge], vol[edge], j, cost[edge] + step * j, edge, col,
                    int(free_cap.sum()))


def big_constant(cost: FloatArr, n_rows: int, n_cols: int) -> float:
    """A cost exceeding the total cost (+1 per edge) of any matching of the component."""
    top = float(cost.max()) if cost.size else 0.0
    return float(min(n_rows, n_cols)) * (top + 1.0) + 1.0


def solve_dense(rows: IntArr, cols: IntArr, cost: FloatArr, n_rows: int,
                n_cols: int) -> IntArr:
    """Indices of chosen edges via linear_sum_assignment (non-edges cost BIG, then dropped)."""
    big = big_constant(cost, n_rows, n_cols)
    mat = np.full((n_rows, n_cols), big)
    mat[rows, cols] = cost
    index = np.full((n_rows, n_cols), -1, dtype=np.int64)
    index[rows, cols] = np.arange(rows.shape[0])
    r, c = linear_sum_assignment(mat)
    chosen: IntArr = index[r, c]
    return chosen[chosen >= 0]


def deficient_rows(graph: csr_matrix) -> IntArr:
    """Rows left unmatched by *some* maximum matching (Dulmage-Mendelsohn).

    Found by alternating BFS from the rows a Hopcroft-Karp maximum matching leaves
    unmatched; every other row is matched in every maximum matching and needs no dummy.
    """
    from scipy.sparse.csgraph import maximum_bipartite_matching

    match = maximum_bipartite_matching(graph, perm_type="column")  # column per row or -1
    owner = np.full(graph.shape[1], -1, dtype=np.int64)
    owner[match[match >= 0]] = np.flatnonzero(match >= 0)
    seen = match < 0
    frontier = np.flatnonzero(seen)
    while frontier.size:
        cols = np.unique(graph[frontier].indices)
        nxt = owner[cols]
        nxt = np.unique(nxt[nxt >= 0])
        frontier = nxt[~seen[nxt]]
        seen[frontier] = True
    return np.flatnonzero(seen).astype(np.int64)


def _csr(rows: IntArr, cols: IntArr, data: FloatArr, shape: tuple[int, int]) -> csr_matrix:
    """CSR matrix of edges already sorted by row (no copy, no sort, no duplicates)."""
    from scipy.sparse import csr_matrix

    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=shape[0]), out=indptr[1:])
    return csr_matrix((data, cols, indptr), shape=shape)


def solve_sparse(rows: IntArr, cols: IntArr, cost: FloatArr, n_rows: int,
                 n_cols: int) -> IntArr:
    """Indices of chosen edges via sparse LAPJV (``min_weight_full_bipartite_matching``).

    LAPJV needs a full matching (every row matched). Rows that some maximum matching leaves
    unmatched get a private dummy column costing BIG; then a full matching exists, and by
    the BIG argument the optimum uses as few dummies as possible (maximum cardinality) and
    has minimum cost among those. Weights get +1 so that none is zero (zero = no edge).
    """
    order = np.argsort(rows, kind="stable")  # fast: edges come in runs sorted by row
    rows, cols, weight = rows[order], cols[order], cost[order] + 1.0
    graph = _csr(rows, cols, weight, (n_rows, n_cols))
    need = deficient_rows(graph)
    big = big_constant(cost, n_rows, n_cols)
    extra_r = need
    extra_c = n_cols + np.arange(need.shape[0], dtype=np.int64)
    extra_w = np.full(need.shape[0], big)
    shape = (n_rows, n_cols + need.shape[0])
    if shape[0] == shape[1]:
        # scipy's LAPJVsp runs the Jonker-Volgenant initialisation only on square inputs,
        # and its augmenting row reduction can loop forever on ties (seen with the equal
        # steps of capacity columns: a 4 x 4 instance hangs in scipy 1.17). One extra
        # column that no optimum uses (dearer than any full matching) keeps the input
        # rectangular, so that phase is skipped.
        extra_r = np.append(extra_r, 0)
        extra_c = np.append(extra_c, shape[1])
        extra_w = np.append(extra_w, 2.0 * big * (n_rows + 1))
        shape = (n_rows, shape[1] + 1)
    if extra_r.size:
        at = np.searchsorted(rows, extra_r, side="right")  # end of each row's edges
        graph = _csr(np.insert(rows, at, extra_r), np.insert(cols, at, extra_c),
                     np.insert(weight, at, extra_w), shape)
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    rr, cc = min_weight_full_bipartite_matching(graph)
    col_of = np.full(n_rows, -1, dtype=np.int64)
    col_of[rr] = cc
    out: IntArr = order[np.flatnonzero(cols == col_of[rows])].astype(np.int64)
    return out


@dataclass(frozen=True)
class ComponentStats:
    n_components: int
    largest: int


def _local(ids: IntArr, size: int) -> tuple[IntArr, int]:
    """Ids in ``range(size)`` renumbered 0..m-1 (in increasing order); m = distinct ids.

    A mark-and-count pass (O(size)) for selections that cover much of the range, a sort
    for small ones (many small components would otherwise pay O(size) each).
    """
    if size == 0 or 8 * ids.shape[0] < size:
        uniq, inv = np.unique(ids, return_inverse=True)
        return inv.astype(np.int64), int(uniq.shape[0])
    mark = np.zeros(size, dtype=np.int64)
    mark[ids] = 1
    pos = np.cumsum(mark) - 1
    return pos[ids], int(pos[-1]) + 1


def _solve_one(x: Expanded, sel: IntArr, dense_limit: int, quantum: float,
               solve_cost: FloatArr, n_req: int, n_col: int) -> IntArr:
    rows, n_rows = _local(x.req[sel], n_req)
    cols, n_cols = _local(x.col[sel], n_col)
    cost = x.cost[sel]
    if quantum > 0.0 and n_rows >= QUANTIZE_MIN_ROWS:
        # Whole units of the quantum: sums stay exact, so equal path lengths tie exactly
        # and LAPJVsp settles a whole level of columns per scan (see quantum_for).
        cost = np.rint(cost / quantum)
        solve_cost[sel] = cost * quantum
    solver = solve_dense if n_rows * n_cols <= dense_limit else solve_sparse
    return sel[solver(rows, cols, cost, n_rows, n_cols)]


def _singletons(x: Expanded, label: IntArr, single: NDArray[np.bool_]) -> IntArr:
    """Components with exactly one request: take its cheapest column (vectorised)."""
    sel = np.flatnonzero(single[label])
    order = sel[np.lexsort((x.cost[sel], label[sel]))]
    first = np.ones(order.shape[0], dtype=np.bool_)
    first[1:] = label[order][1:] != label[order][:-1]
    return order[first]


@dataclass(frozen=True)
class Assigned:
    """Chosen edges (indices into the :class:`Expanded` edges) and the cost of every edge
    that the solver optimised: ``x.cost``, or rounded to the quantum in big components."""

    chosen: IntArr
    solve_cost: FloatArr
    stats: ComponentStats
    quantum: float  # the rounding step used (0.0: every component on exact costs)


def assign(x: Expanded, n_req: int, n_vol: int, dense_limit: int = DENSE_LIMIT,
           progress: Callable[[int], None] | None = None, quantum: float = 0.0) -> Assigned:
    """Optimal assignment on expanded edges (for ``solve_cost``, see :class:`Assigned`).

    Components are found on the request-volunteer graph (all columns of a volunteer are in
    the same component). ``progress(k)`` is called with the number of requests settled.
    ``quantum`` > 0: components of at least ``QUANTIZE_MIN_ROWS`` requests are solved on
    costs rounded to multiples of it (optimal for the rounded costs).
    """
    solve_cost = x.cost.copy()
    if x.req.size == 0:
        return Assigned(np.zeros(0, dtype=np.int64), solve_cost, ComponentStats(0, 0), 0.0)
    # One edge per (request, volunteer): its capacity columns repeat it (same component).
    first = np.ones(x.edge.shape[0], dtype=np.bool_)
    first[1:] = x.edge[1:] != x.edge[:-1]
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(int(first.sum()), dtype=np.int8),
                        (x.req[first], n_req + x.vol[first])), shape=(n_req + n_vol,) * 2)
    _, labels = connected_components(graph, directed=False)
    label = labels[x.req].astype(np.int64)
    present = np.zeros(n_req, dtype=np.bool_)
    present[x.req] = True
    n_rows = np.bincount(labels[np.flatnonzero(present)], minlength=int(labels.max()) + 1)
    single = n_rows == 1
    chosen = [_singletons(x, label, single)]
    order = np.argsort(label, kind="stable")
    bounds = np.searchsorted(label[order], np.arange(n_rows.shape[0] + 1))
    done = int(single.sum())
    for comp in np.flatnonzero(n_rows > 1):
        chosen.append(_solve_one(x, order[bounds[comp]:bounds[comp + 1]], dense_limit,
                                 quantum, solve_cost, n_req, x.n_col))
        done += int(n_rows[comp])
        if progress is not None:
            progress(done)
    n_comp = int((n_rows > 0).sum())
    rounded = quantum > 0.0 and bool((n_rows >= QUANTIZE_MIN_ROWS).any())
    return Assigned(np.concatenate(chosen), solve_cost,
                    ComponentStats(n_comp, int(n_rows.max())), quantum if rounded else 0.0)
