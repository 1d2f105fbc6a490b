"""The national default domains (fagområde) of the kommunebilde (BRIEF §2), shared by the apps that
file evidence under a domain (statistics, oversight, profiles).

Offices adapt the set per cycle; those adaptations belong to the cycle, not to this list, which is
the common vocabulary evidence is filed under.
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    HEALTH_CARE = "health_care", _("Health and care")
    CHILD_WELFARE = "child_welfare", _("Child welfare")
    SOCIAL_HOUSING = "social_housing", _("Social housing")
    EDUCATION = "education", _("Education (kindergarten and schooling)")
    ECONOMY = "economy", _("Municipal economy")
    AGRICULTURE = "agriculture", _("Agriculture")
    ENVIRONMENT_CLIMATE = "environment_climate", _("Environment and climate")
    PLANNING = "planning", _("Municipal planning")
    SOCIAL_SERVICES = "social_services", _("Social services")
    REINDEER_HUSBANDRY = "reindeer_husbandry", _("Reindeer husbandry")
    CIVIL_PROTECTION = "civil_protection", _("Civil protection and emergency preparedness")


# The names staff write in their own spreadsheets (bokmål and nynorsk, as in the offices' published
# kommunebilder), so imported files need not use the codes above. Compared lower-cased.
NORWEGIAN_NAMES: dict[str, Domain] = {
    "helse og omsorg": Domain.HEALTH_CARE,
    "barnevern": Domain.CHILD_WELFARE,
    "boligsosialt arbeid": Domain.SOCIAL_HOUSING,
    "bustadsosialt arbeid": Domain.SOCIAL_HOUSING,
    "utdanning": Domain.EDUCATION,
    "utdanning (barnehage og opplæring)": Domain.EDUCATION,
    "barnehage og opplæring": Domain.EDUCATION,
    "kommuneøkonomi": Domain.ECONOMY,
    "landbruk": Domain.AGRICULTURE,
    "miljø og klima": Domain.ENVIRONMENT_CLIMATE,
    "kommunalt planarbeid": Domain.PLANNING,
    "sosialtjenesten": Domain.SOCIAL_SERVICES,
    "sosialtenesta": Domain.SOCIAL_SERVICES,
    "reindrift": Domain.REINDEER_HUSBANDRY,
    "samfunnssikkerhet og beredskap": Domain.CIVIL_PROTECTION,
    "samfunnstryggleik og beredskap": Domain.CIVIL_PROTECTION,
}


def parse_domain(text: str) -> Domain | None:
    """The domain named by ``text``: its code, its label (English or the active language) or a
    Norwegian name; else None."""
    key = " ".join(str(text).split()).lower()
    if not key:
        return None
    with translation.override("en"):
        english = {str(d.label).lower(): d for d in Domain}
    active = {str(d.label).lower(): d for d in Domain}
    return ({d.value: d for d in Domain} | english | active | NORWEGIAN_NAMES).get(key)
