"""Demo content for learning from each other and for feedback: a comparison group of Rogaland's office
and one of Hjelmeland's, and a few answers to "did you find what you were looking for?". Idempotent.
(The lessons library needs no content of its own: it reads the demo grant's published final report.)"""

from __future__ import annotations

from typing import Any

from kommunedialog.profiles import peersets
from kommunedialog.publicsite import feedback
from kommunedialog.publicsite.models import PageFeedback
from kommunedialog.registry.models import Municipality, Office
from kommunedialog.statistics.models import PeerSet

GROUPS = [
    ("office", "Ryfylke", ["1133", "1134", "1130", "1135"], "Demonstrasjonstekst: små og mellomstore fjordkommunar."),
    ("municipality", "Kommunar som liknar oss", ["1133", "1134", "1135"], ""),
]
FEEDBACK = [
    ("/kommuner/1133/", True, ""),
    ("/kommuner/1133/", False, "Demonstrasjonstekst: eg leita etter tilsynsrapportane."),
    ("/prosjektskjonn/", True, "Demonstrasjonstekst: oversiktleg."),
    ("/statistikk/sammenslaing/", True, ""),
]


def load_demo_learning(*, staff: Any, municipality_user: Any, stdout: Any) -> None:
    members = {m.number: m for m in Municipality.objects.current().filter(number__in=["1130", "1133", "1134", "1135"])}
    owners: dict[str, Office | Municipality] = {
        "office": Office.objects.get(code="rogaland"),
        "municipality": members["1133"],
    }
    for kind, name, numbers, note in GROUPS:
        owner = owners[kind]
        exists = PeerSet.objects.filter(
            name=name, **({"office": owner} if kind == "office" else {"owner_municipality": owner})
        )
        if not exists.exists():
            peersets.peer_set_create(
                actor=staff if kind == "office" else municipality_user,
                owner=owner,
                name=name,
                members=[members[n] for n in numbers],
                note=note,
            )
    if not PageFeedback.objects.exists():
        for path, found, comment in FEEDBACK:
            feedback.feedback_give(path=path, found=found, comment=comment, language="nn")
    stdout.write(f"Demo comparison groups: {PeerSet.objects.count()}; page feedback: {PageFeedback.objects.count()}")
