"""The layouts a published kommunebilde's fragment can be in, by the number stored beside it
(``PublishedProfile.rendered["layout"]``). A snapshot never changes, so a new layout applies to new
publications only; fragments rendered before layouts were numbered are layout "1" (ADR 0006, addendum).
Apart from ``snapshot`` so that the model can name them without importing what imports it."""

from __future__ import annotations

from typing import Any

LAYOUTS = {"1": "profiles/_snapshot_v1.html", "2": "profiles/_snapshot.html"}
CURRENT_LAYOUT = "2"


def template_for(snap: Any) -> str:
    """The template of the layout ``snap`` was published in."""
    return LAYOUTS[(snap.rendered or {}).get("layout", "1")]
