"""Who may use the Prosjektskjønn pages. The scenario's own municipality (Hjelmeland) applies; Suldal, in
the same office, is the *other* municipality: it may start its own applications in Rogaland's open
call but sees nothing of Hjelmeland's. Case pages refuse everyone else with 404 (or the login page),
so the existence of an application is not revealed.
"""

from __future__ import annotations

from typing import Any

from kommunedialog.core.policy import EVERYONE, LOGGED_IN, OWN_MUNICIPALITY, OWN_OFFICE, Access, Scenario, Visitor

HIDDEN = frozenset({302, 404, 405})
COORDINATOR = frozenset({Visitor.COORDINATOR})
MINISTRY = frozenset({Visitor.MINISTRY})
PARTIES = OWN_MUNICIPALITY | OWN_OFFICE


def _application(s: Scenario) -> dict[str, Any]:
    return {"application_id": s["grant_application"].pk}


def _draft(s: Scenario) -> dict[str, Any]:
    return {"application_id": s["grant_draft_application"].pk}


def _project(s: Scenario) -> dict[str, Any]:
    return {"project_id": s["grant_project"].pk}


POLICY = {
    # The case portal: each logged-in user sees what their roles give them (possibly nothing).
    "grants:portal_show": Access(get=LOGGED_IN, denied_status=HIDDEN),
    "grants:ministry_show": Access(get=MINISTRY, denied_status=HIDDEN),
    "grants:ministry_export": Access(get=MINISTRY, denied_status=HIDDEN),
    "grants:call_create": Access(get=COORDINATOR, post=COORDINATOR, denied_status=HIDDEN),
    "grants:call_show": Access(get=OWN_OFFICE, kwargs=lambda s: {"call_id": s["grant_call"].pk}, denied_status=HIDDEN),
    "grants:call_edit": Access(
        get=COORDINATOR, post=COORDINATOR, kwargs=lambda s: {"call_id": s["grant_draft_call"].pk}, denied_status=HIDDEN
    ),
    # The draft call's criteria weigh 50 %, so publishing is refused (and nothing changes) for everyone.
    "grants:call_take_step": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"call_id": s["grant_draft_call"].pk, "action": "publish"},
        denied_status=HIDDEN,
    ),
    "grants:call_archive_export": Access(
        get=COORDINATOR, kwargs=lambda s: {"call_id": s["grant_call"].pk}, denied_status=HIDDEN
    ),
    # Both municipalities lie in Rogaland, so both may start an application in its open call.
    "grants:application_start": Access(
        post=OWN_MUNICIPALITY | {Visitor.MUNICIPALITY_OTHER},
        kwargs=lambda s: {"call_id": s["grant_call"].pk},
        denied_status=HIDDEN,
    ),
    "grants:application_show": Access(get=PARTIES, kwargs=_application, denied_status=HIDDEN),
    "grants:application_edit_step": Access(
        get=OWN_MUNICIPALITY,
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: [{**_draft(s), "step": "prosjekt"}, {**_draft(s), "step": "budsjett"}],
        denied_status=HIDDEN,
    ),
    "grants:budget_check": Access(post=OWN_MUNICIPALITY, kwargs=_draft, denied_status=HIDDEN),
    # An empty message is refused by the service: the parties reach the view, nothing changes.
    "grants:application_take_step": Access(
        post=PARTIES, kwargs=lambda s: {**_application(s), "action": "request_information"}, denied_status=HIDDEN
    ),
    "grants:application_set_publication": Access(post=OWN_OFFICE, kwargs=_application, denied_status=HIDDEN),
    "grants:attachment_upload": Access(post=OWN_MUNICIPALITY, kwargs=_draft, denied_status=HIDDEN),
    "grants:attachment_download": Access(
        get=PARTIES,
        kwargs=lambda s: {**_application(s), "attachment_id": s["grant_attachment"].pk},
        denied_status=HIDDEN,
    ),
    "grants:attachment_delete": Access(
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: {**_draft(s), "attachment_id": s["grant_draft_attachment"].pk},
        denied_status=HIDDEN,
    ),
    "grants:attachment_set_publication": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {**_application(s), "attachment_id": s["grant_attachment"].pk},
        denied_status=HIDDEN,
    ),
    "grants:review_declare": Access(post=OWN_OFFICE, kwargs=_application, denied_status=HIDDEN),
    "grants:review_score": Access(post=OWN_OFFICE, kwargs=_application, denied_status=HIDDEN),
    "grants:application_decide": Access(get=COORDINATOR, post=COORDINATOR, kwargs=_application, denied_status=HIDDEN),
    "grants:decision_letter_download": Access(
        get=PARTIES, kwargs=lambda s: {"application_id": s["grant_awarded_application"].pk}, denied_status=HIDDEN
    ),
    "grants:project_show": Access(get=PARTIES, kwargs=_project, denied_status=HIDDEN),
    # The project is active: closing is refused by the workflow for every party.
    "grants:project_take_step": Access(
        post=PARTIES, kwargs=lambda s: {**_project(s), "action": "close"}, denied_status=HIDDEN
    ),
    "grants:change_request_submit": Access(post=OWN_MUNICIPALITY, kwargs=_project, denied_status=HIDDEN),
    "grants:change_request_decide": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {**_project(s), "change_id": s["grant_change_request"].pk},
        denied_status=HIDDEN,
    ),
    "grants:report_edit": Access(
        get=PARTIES, post=OWN_MUNICIPALITY, kwargs=lambda s: {"report_id": s["grant_report"].pk}, denied_status=HIDDEN
    ),
    "grants:report_take_step": Access(
        post=PARTIES, kwargs=lambda s: {"report_id": s["grant_report"].pk, "action": "approve"}, denied_status=HIDDEN
    ),
    # The transparency site and the open data: public by design, and built from published facts only.
    "grants_public:grants_list": Access(get=EVERYONE),
    # Published and earlier calls; a draft call's page is 404 for everyone (tests/grants/test_public_calls.py).
    "grants_public:calls_list": Access(get=EVERYONE),
    "grants_public:lessons_list": Access(get=EVERYONE, query={"q": "scenario"}),
    "grants_public:call_show": Access(get=EVERYONE, kwargs=lambda s: {"call_id": s["grant_call"].pk}),
    "grants_public:project_show": Access(get=EVERYONE, kwargs=_project),
    "grants_public:attachment_download": Access(
        get=EVERYONE, kwargs=lambda s: {**_project(s), "attachment_id": s["grant_public_attachment"].pk}
    ),
    "api:list_grants": Access(get=EVERYONE),
    "api:grants_360giving_json": Access(get=EVERYONE),
    "api:grants_360giving_csv": Access(get=EVERYONE),
}


def _seed_grants(scenario: Scenario, marker: str) -> str:
    from kommunedialog.grants.models import (
        Application,
        Attachment,
        Call,
        ChangeRequest,
        CostLine,
        Criterion,
        Decision,
        Message,
        Report,
        Review,
        Score,
    )

    private_fields = {
        "challenges": marker,
        "goals": marker,
        "instruments": marker,
        "contact_name": marker,
        "contact_email": f"{marker}@example.invalid",
        "contact_phone": marker[-30:],
        "chief_executive_name": marker,
    }
    # Applications nobody may see in public at all: every text, the title and summary included.
    unpublished = [scenario[k].pk for k in ("grant_draft_application", "grant_application", "grant_hidden_application")]
    Application.objects.filter(pk__in=unpublished).update(title=marker, summary=marker, **private_fields)
    # The published grant: only its title and summary are public.
    awarded = scenario["grant_awarded_application"]
    Application.objects.filter(pk=awarded.pk).update(**private_fields)
    # A draft call is the office's work in progress: none of its texts is public.
    drafts = Call.objects.filter(state="draft")
    drafts.update(title_nb=marker, title_nn=marker, description_nb=marker, description_nn=marker)
    Criterion.objects.filter(call__in=drafts).update(name_nb=marker, name_nn=marker)
    CostLine.objects.update(description=marker)
    Message.objects.update(text=marker)
    Review.objects.update(conflict_note=marker, recommendation_text=marker)
    Score.objects.update(comment=marker)
    Decision.objects.update(reasons=marker, conditions=marker)
    Attachment.objects.exclude(pk=scenario["grant_public_attachment"].pk).update(title=marker)
    ChangeRequest.objects.update(description=marker, decision_reason=marker)
    Report.objects.filter(project__application=awarded).exclude(state="published").update(
        what_was_done=marker, results=marker, lessons_learned=marker
    )
    Report.objects.update(return_reason=marker)
    # A report published inside a project the office has not checked for publication.
    Report.objects.filter(project__application__pk=scenario["grant_hidden_application"].pk).update(
        what_was_done=marker, results=marker, lessons_learned=marker
    )
    return (
        "draft calls (all texts), grant applications not published (all texts), the published grant's private "
        "texts, budget lines, messages, reviews and scores, decisions, unflagged attachments, change requests, "
        "unpublished reports"
    )


PRIVATE_SEEDS = [_seed_grants]
