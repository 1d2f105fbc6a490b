"""The kommunebilde as slides for the dialogue meeting: an overview, then one slide per domain with its
rating, justification and key charts. For the office's coordinators only (404 to anyone else).

The slides are drawn from the same frozen content the public page is published from
(``snapshot.freeze``), so what the meeting sees is what would be published now. Without JavaScript the
page is one long scrolling document with anchors and next/previous links; ``slides.js`` turns it into
one slide at a time, driven by the keyboard. Printed, each slide is one page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from kommunedialog.profiles import access, evidence, snapshot
from kommunedialog.profiles.models import Profile

# The charts a domain's slide shows: the first statistics of the domain, as the catalogue orders them.
KEY_CHARTS = 2


def slides(profile: Profile) -> dict[str, Any]:
    """The overview and one slide per domain, each with its anchor and its neighbours' anchors."""
    content = snapshot.freeze(profile, published_at=timezone.now(), data_as_of=timezone.localdate())
    name = content["municipality"]["name"]
    domains = []
    for index, domain in enumerate(content["domains"], start=2):  # the overview is slide 1
        anchor = f"slide-{index}"
        statistics = evidence.present(domain["evidence"], name).get("statistic", [])
        charts = [s for s in statistics if s["chart"]][:KEY_CHARTS]
        for chart in charts:
            chart["chart_id"] = f"{anchor}-{chart['indicator']}"
        domains.append({**domain, "anchor": anchor, "charts": charts})
    anchors = ["slide-1"] + [d["anchor"] for d in domains]
    for position, domain in enumerate(domains, start=1):
        domain["previous"] = anchors[position - 1]
        domain["next"] = anchors[position + 1] if position + 1 < len(anchors) else None
        domain["number"] = position + 1
    return {
        "content": content,
        "domains": domains,
        "total": len(anchors),
        "first_domain": domains[0]["anchor"] if domains else None,
    }


@login_required
@require_safe
def profile_slides(request: HttpRequest, profile_id: int) -> HttpResponse:
    the_profile = access.profile_for_coordinator(request.user, profile_id)
    return render(request, "profiles/slides.html", {"profile": the_profile, **slides(the_profile)})
