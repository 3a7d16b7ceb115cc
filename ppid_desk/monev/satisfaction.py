"""The satisfaction index (IKM, PermenPANRB 14/2017) as monev shows it: on the dashboard, in the
annual report and on the public statistics page. The reads are the survey's
(``survey.selectors.satisfaction_index``); here they become plain, cacheable figures.

Below the minimum number of respondents (``SURVEY_MIN_RESPONDENTS``) a scope shows its count
only: never its means, index or band, on any page.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ..survey.ikm import ELEMENT_KEYS
from ..survey.selectors import (
    SatisfactionIndex,
    min_respondents,
    satisfaction_by_unit,
    satisfaction_index,
)


def _figures(index: SatisfactionIndex) -> dict:
    shown = index.shown
    return {
        "respondents": index.respondents,
        "shown": shown,
        "ikm": float(round(index.ikm, 4)) if shown and index.ikm is not None else None,
        "converted": float(index.converted) if shown and index.converted is not None else None,
        "band": index.band if shown else None,
        "means": {key: (float(round(index.means[key], 2)) if shown and index.means[key] is not None else None)
                  for key in ELEMENT_KEYS},
    }


def satisfaction_figures(start: date, end: date, unit_ids: Collection[int] | None = None) -> dict:
    """The index of the scope (every response, or those about ``unit_ids``) and of each unit,
    for the months [start, end] touches."""
    figures = _figures(satisfaction_index(unit_ids, start=start, end=end))
    wanted = set(unit_ids) if unit_ids is not None else None
    figures["by_unit"] = [{"code": row.code, "name": row.name, **_figures(row.index)}
                          for row in satisfaction_by_unit(start=start, end=end)
                          if wanted is None or row.unit_id in wanted]
    figures["minimum"] = min_respondents()
    return figures
