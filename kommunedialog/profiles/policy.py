from typing import Any

from kommunedialog.core.policy import OWN_MUNICIPALITY, OWN_OFFICE, Access, Scenario, Visitor

# Drafts and consultation versions: anonymous visitors are sent to the login page; every logged-in
# user outside the office (and, for the consultation page, the municipality) gets 404.
HIDDEN = frozenset({302, 404})


def _office(s: Scenario) -> dict[str, Any]:
    return {"office": s["own_office"].code}


# Comparison groups: anyone who works for an office or a municipality has a list and may make one; a
# group is seen and changed only by its own office (or municipality), others get 404.
WITH_GROUPS = OWN_OFFICE | OWN_MUNICIPALITY | {Visitor.STAFF_OTHER, Visitor.MUNICIPALITY_OTHER}


def _peer_set(s: Scenario) -> dict[str, Any]:
    return {"peer_set_id": s["peer_set"].pk}


POLICY = {
    "peersets:peer_set_list": Access(get=WITH_GROUPS),
    "peersets:peer_set_create": Access(get=WITH_GROUPS, post=WITH_GROUPS),
    "peersets:peer_set_show": Access(get=OWN_OFFICE, kwargs=_peer_set, denied_status=HIDDEN | {405}),
    "peersets:peer_set_edit": Access(get=OWN_OFFICE, post=OWN_OFFICE, kwargs=_peer_set, denied_status=HIDDEN),
    # The municipality's own group, so that deleting it once leaves the office's group for the other pages.
    "peersets:peer_set_delete": Access(
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: {"peer_set_id": s["municipality_peer_set"].pk},
        denied_status=HIDDEN | {405},
    ),
    "overview:overview_start": Access(get=OWN_OFFICE | {Visitor.STAFF_OTHER}),
    "overview:overview_show": Access(get=OWN_OFFICE, kwargs=_office),
    "overview:overview_export": Access(
        get=OWN_OFFICE, kwargs=lambda s: [{**_office(s), "fmt": "csv"}, {**_office(s), "fmt": "xlsx"}]
    ),
    # Supervision planning: the office's own staff and coordinators only.
    "overview:supervision_plan_show": Access(get=OWN_OFFICE, kwargs=_office, denied_status=HIDDEN | {405}),
    "overview:supervision_plan_add": Access(post=OWN_OFFICE, kwargs=_office, denied_status=HIDDEN | {405}),
    "overview:supervision_plan_remove": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {**_office(s), "planned_id": s["planned_supervision"].pk},
        denied_status=HIDDEN | {405},
    ),
    "overview:supervision_plan_export": Access(
        get=OWN_OFFICE,
        kwargs=lambda s: [{**_office(s), "fmt": "csv"}, {**_office(s), "fmt": "pdf"}],
        denied_status=HIDDEN | {405},
    ),
    # Every office's staff see their own offices' cycles; only coordinators open one.
    # The ministry sees the national picture at the same address (counts per office, no names).
    "profiles:cycle_list": Access(get=OWN_OFFICE | {Visitor.STAFF_OTHER, Visitor.MINISTRY}),
    "profiles:national_export": Access(
        get=frozenset({Visitor.MINISTRY}),
        kwargs=lambda s: [{"kind": "embeter"}, {"kind": "fagomrader"}],
        denied_status=HIDDEN | {405},
    ),
    "profiles:cycle_open": Access(post=frozenset({Visitor.COORDINATOR})),
    "profiles:cycle_show": Access(
        get=OWN_OFFICE, kwargs=lambda s: {"cycle_id": s["cycle"].pk}, denied_status=HIDDEN | {405}
    ),
    "profiles:profile_edit": Access(
        get=OWN_OFFICE, post=OWN_OFFICE, kwargs=lambda s: {"profile_id": s["draft_profile"].pk}, denied_status=HIDDEN
    ),
    # The slides for the dialogue meeting: the office's coordinators only.
    "profiles:profile_slides": Access(
        get=frozenset({Visitor.COORDINATOR}),
        kwargs=lambda s: {"profile_id": s["draft_profile"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:assessment_save": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["draft_profile"].pk, "assessment_id": s["assessment"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:profile_take_step": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["draft_profile"].pk, "action": "submit_for_review"},
        denied_status=HIDDEN | {405},
    ),
    "profiles:response_decide": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk, "response_id": s["consultation_response"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:follow_up_add": Access(
        post=OWN_OFFICE, kwargs=lambda s: {"profile_id": s["draft_profile"].pk}, denied_status=HIDDEN | {405}
    ),
    # An agreed action: moved on by its office and by its municipality (the workflow then says whose).
    "profiles:follow_up_step": Access(
        post=OWN_OFFICE | OWN_MUNICIPALITY,
        kwargs=lambda s: {"action_id": s["follow_up_action"].pk, "step": "start"},
        denied_status=HIDDEN | {405},
    ),
    # The municipality's own history of its kommunebilder.
    "profiles:municipality_history": Access(get=OWN_MUNICIPALITY | {Visitor.MUNICIPALITY_OTHER}),
    # The municipality's own words beside its published kommunebilde: its own users only.
    "profiles:voice_edit": Access(
        get=OWN_MUNICIPALITY,
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: {"snapshot_id": s["published_snapshot"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:attachment_download": Access(
        get=OWN_OFFICE | OWN_MUNICIPALITY,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk, "response_id": s["consultation_response"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:consultation_respond": Access(
        get=OWN_MUNICIPALITY,
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk},
        denied_status=HIDDEN,
    ),
}


def _seed_plan(scenario: Scenario, marker: str) -> str:
    from kommunedialog.oversight.models import PlannedSupervision

    PlannedSupervision.objects.filter(pk=scenario["planned_supervision"].pk).update(reason=marker)
    return "the reasons for planned supervisions"


def _seed_drafts(scenario: Scenario, marker: str) -> str:
    from kommunedialog.profiles.models import Assessment, ConsultationResponse, Profile

    for key in ("draft_profile", "consultation_profile"):
        profile = scenario[key]
        Profile.objects.filter(pk=profile.pk).update(overall_picture=marker, dialogue_topics=marker)
        Assessment.objects.filter(profile=profile).update(justification=marker, departure_reason=marker)
    ConsultationResponse.objects.filter(pk=scenario["consultation_response"].pk).update(
        text=marker, decision_reason=marker
    )
    return "draft and consultation texts, justifications, responses and decisions"


def _seed_peer_sets(scenario: Scenario, marker: str) -> str:
    from kommunedialog.statistics.models import PeerSet

    PeerSet.objects.filter(pk__in=[scenario["peer_set"].pk, scenario["municipality_peer_set"].pk]).update(
        name=marker, note=marker
    )
    return "comparison groups' names and notes"


PRIVATE_SEEDS = [_seed_drafts, _seed_plan, _seed_peer_sets]
