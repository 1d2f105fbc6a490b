"""The catalogue's units (written in bokmål, as the sources give them) in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language

# bokmål -> (nynorsk, English)
UNITS: dict[str, tuple[str, str]] = {
    "barn": ("born", "children"),
    "besøk per 1 000 innbyggere 6–20 år": (
        "besøk per 1 000 innbyggjarar 6–20 år",
        "visits per 1,000 inhabitants aged 6–20",
    ),
    "dekar": ("dekar", "decares"),
    "elever": ("elevar", "pupils"),
    "foretak": ("føretak", "enterprises"),
    "indeks (landet = 1)": ("indeks (landet = 1)", "index (Norway = 1)"),
    "ja=1, nei=0": ("ja=1, nei=0", "yes=1, no=0"),
    "klasse 1–6": ("klasse 1–6", "class 1–6"),
    "konsultasjoner per innbygger": ("konsultasjonar per innbyggjar", "consultations per inhabitant"),
    "kr": ("kr", "NOK"),
    "kr per innbygger": ("kr per innbyggjar", "NOK per inhabitant"),
    "lån": ("lån", "loans"),
    "per 1 000 innbyggere": ("per 1 000 innbyggjarar", "per 1,000 inhabitants"),
    "per 1 000 innbyggere 0–66 år": ("per 1 000 innbyggjarar 0–66 år", "per 1,000 inhabitants aged 0–66"),
    "per 1 000 innbyggere 80 år og over": (
        "per 1 000 innbyggjarar 80 år og over",
        "per 1,000 inhabitants aged 80 and over",
    ),
    "per 100 000, standardisert": ("per 100 000, standardisert", "per 100,000, standardised"),
    "personer": ("personar", "persons"),
    "planer": ("planar", "plans"),
    "poeng": ("poeng", "points"),
    "prosent": ("prosent", "per cent"),
    "prosent av arbeidsstyrken": ("prosent av arbeidsstyrken", "per cent of the labour force"),
    "prosent av befolkningen 18–66 år": ("prosent av befolkninga 18–66 år", "per cent of the population aged 18–66"),
    "rein": ("rein", "reindeer"),
    "stillinger per 1 000 barn": ("stillingar per 1 000 born", "positions per 1,000 children"),
    "timer": ("timar", "hours"),
    "timer per 1 000 innbyggere 6–20 år": (
        "timar per 1 000 innbyggjarar 6–20 år",
        "hours per 1,000 inhabitants aged 6–20",
    ),
    "timer per uke": ("timar per veke", "hours per week"),
    "tonn CO₂-ekvivalenter": ("tonn CO₂-ekvivalentar", "tonnes CO₂ equivalent"),
    "tonn per innbygger": ("tonn per innbyggjar", "tonnes per inhabitant"),
    "år": ("år", "years"),
    "årsverk per 1 000 innbyggere 67 år og over": (
        "årsverk per 1 000 innbyggjarar 67 år og over",
        "FTEs per 1,000 inhabitants aged 67 and over",
    ),
}


def unit_text(unit: str, language: str | None = None) -> str:
    """The unit in ``language`` (default: the active one); as given where it is not known here."""
    language = (language or get_language() or "nb")[:2]
    if language == "nb" or unit not in UNITS:
        return unit
    return UNITS[unit][0 if language == "nn" else 1]
