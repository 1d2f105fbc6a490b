"""Declared access policy: who may read and write each URL of the project.

Every app lists its URL names in ``<app>/policy.py`` as ``POLICY: dict[str, Access]``. The permission
matrix test (tests/test_permission_matrix.py) walks every URL pattern of the project, fills in its
parameters, requests it as each actor, and checks the answer against this table. A URL that no table
lists fails the test, so a new page is covered the day it lands.

The actors are the roles of BRIEF §1 seen from one scenario: the *own* office is Statsforvalteren i
Rogaland and the *own* municipality is 1133 Hjelmeland (in Rogaland); *other* means Suldal (1134, same
office) for municipality users and Statsforvalteren i Vestland for staff.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Visitor(StrEnum):
    ANONYMOUS = "anonymous"
    MUNICIPALITY_OWN = "municipality_own"
    MUNICIPALITY_OTHER = "municipality_other"
    STAFF_OWN = "staff_own"
    STAFF_OTHER = "staff_other"
    COORDINATOR = "coordinator"
    MINISTRY = "ministry"
    ADMIN = "admin"


EVERYONE = frozenset(Visitor)
NOBODY: frozenset[Visitor] = frozenset()
LOGGED_IN = EVERYONE - {Visitor.ANONYMOUS}
OWN_OFFICE = frozenset({Visitor.STAFF_OWN, Visitor.COORDINATOR})
OWN_MUNICIPALITY = frozenset({Visitor.MUNICIPALITY_OWN})
ADMIN_ONLY = frozenset({Visitor.ADMIN})

# What a refusal may look like: 404 for anything whose existence must not leak, 403 for a known
# page the actor may not use, 302 to the login page for anonymous users, 405 for a method not served.
DENIED = frozenset({302, 403, 404, 405})


@dataclass(frozen=True)
class Scenario:
    """The objects of the scenario, for building URL parameters."""

    objects: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]


@dataclass(frozen=True)
class Access:
    """Who may GET and who may POST one URL.

    ``post=None`` means the URL takes no writes: a POST must be refused for everyone (or be
    harmless, as for a search form answered by GET). ``kwargs`` builds the URL parameters from the
    scenario (several sets may be given to check, e.g., a draft and a published version).
    ``denied_status`` narrows what a refusal must be (``{404}`` for unpublished material).
    """

    get: frozenset[Visitor] = NOBODY
    post: frozenset[Visitor] | None = None
    kwargs: Callable[[Scenario], Mapping[str, Any] | list[Mapping[str, Any]]] | None = None
    denied_status: frozenset[int] = DENIED
    query: Mapping[str, str] = field(default_factory=dict)
    # Statuses that still count as "let in" for an allowed actor, e.g. 403 from Django admin's own
    # per-model permissions on a read-only model.
    allowed_extra: frozenset[int] = frozenset()


# A seed writes ``marker`` into non-public fields of objects in the scenario (staff notes, drafts,
# personal data) and returns a short description. Apps list theirs as ``PRIVATE_SEEDS`` in policy.py;
# the leak crawl (tests/test_leak_crawl.py) then reads every public page, API answer and export and
# fails if the marker shows up anywhere.
Seed = Callable[[Scenario, str], str]


# URLs that belong to the project rather than to one app.
POLICY = {
    # A GET only redirects back without changing anything.
    "set_language": Access(get=EVERYONE, post=EVERYONE),
    # Health of the installation's dependencies, no data (nginx admits only the internal network).
    "core:health_show": Access(get=EVERYONE),
    "core:web_health_show": Access(get=EVERYONE),
    # The site's icon: a redirect to the static SVG.
    "favicon": Access(get=EVERYONE),
}
