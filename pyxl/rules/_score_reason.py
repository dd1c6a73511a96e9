"""Which rule asks a scored indicator for its 偏差原因.

Two rules ask for the same cell: deviation-reason-missing (monitoring: the actual misses the target or
far exceeds it) and score-reason-missing (自评: a reported 得分 below its 分值). On a missed indicator
with a reported score and no reason both would fire; score-reason-missing owns that case (it names the
points lost, the figure the 自评表 is judged on) and deviation-reason-missing keeps quiet on it. Before
自评 (no 得分) and when the actual far exceeds the target (full points), deviation-reason-missing
is the only one that can fire.
"""

from __future__ import annotations

from ..core.model import Indicator
from ..core.scoring import number_of

__all__ = ["score_asks_reason"]

_EPS = 1e-9


def score_asks_reason(ind: Indicator) -> bool:
    """A reported 得分 below the 分值 and no 偏差原因: score-reason-missing fires on this indicator."""
    weight, score = number_of(ind.weight), number_of(ind.score)
    return (weight is not None and score is not None and score < weight - _EPS
            and not (ind.deviation_reason or "").strip())
