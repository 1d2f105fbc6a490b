from kommunedialog.core.policy import OWN_MUNICIPALITY, OWN_OFFICE, Access, Actor, Scenario

# Drafts and consultation versions: anonymous visitors are sent to the login page; every logged-in
# user outside the office (and, for the consultation page, the municipality) gets 404.
HIDDEN = frozenset({302, 404})

POLICY = {
    # Every office's staff see their own offices' cycles; only coordinators open one.
    "profiles:cycles": Access(get=OWN_OFFICE | {Actor.STAFF_OTHER}, post=frozenset({Actor.COORDINATOR})),
    "profiles:cycle": Access(
        get=OWN_OFFICE, kwargs=lambda s: {"cycle_id": s["cycle"].pk}, denied_status=HIDDEN | {405}
    ),
    "profiles:profile": Access(
        get=OWN_OFFICE, post=OWN_OFFICE, kwargs=lambda s: {"profile_id": s["draft_profile"].pk}, denied_status=HIDDEN
    ),
    "profiles:assessment": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["draft_profile"].pk, "assessment_id": s["assessment"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:transition": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["draft_profile"].pk, "action": "submit_for_review"},
        denied_status=HIDDEN | {405},
    ),
    "profiles:decide": Access(
        post=OWN_OFFICE,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk, "response_id": s["consultation_response"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:follow_up": Access(
        post=OWN_OFFICE, kwargs=lambda s: {"profile_id": s["draft_profile"].pk}, denied_status=HIDDEN | {405}
    ),
    "profiles:attachment": Access(
        get=OWN_OFFICE | OWN_MUNICIPALITY,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk, "response_id": s["consultation_response"].pk},
        denied_status=HIDDEN | {405},
    ),
    "profiles:consultation": Access(
        get=OWN_MUNICIPALITY,
        post=OWN_MUNICIPALITY,
        kwargs=lambda s: {"profile_id": s["consultation_profile"].pk},
        denied_status=HIDDEN,
    ),
}


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


PRIVATE_SEEDS = [_seed_drafts]
