"""The project's open datasets and their distributions, described once.

The DCAT-AP-NO catalogue that data.norge.no harvests (``api.dcat``) and the public open data page
(``publicsite``) both read this module, so the two can never disagree. Texts are given in bokmål,
nynorsk and English here rather than through gettext, because the catalogue carries all three at once.

Dates are read from the database, never written by hand: a dataset that has no such date says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Max, Min
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kommunedialog.core.audit import AuditAction
from kommunedialog.core.languages import localised
from kommunedialog.core.models import AuditEvent
from kommunedialog.grants import public as grants_public
from kommunedialog.grants.models import Application
from kommunedialog.grants.states import ApplicationState
from kommunedialog.profiles.models import PublishedProfile
from kommunedialog.statistics.models import Observation

LANGUAGES = ("nb", "nn", "en")

# The EU data-theme vocabulary (the codes DCAT-AP-NO accepts for dcat:theme).
DATA_THEMES = frozenset(
    {"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN"}
)


@dataclass(frozen=True)
class Texts:
    nb: str
    nn: str
    en: str

    def items(self) -> tuple[tuple[str, str], ...]:
        return (("nb", self.nb), ("nn", self.nn), ("en", self.en))

    def __str__(self) -> str:
        return localised(dict(self.items()))


@dataclass(frozen=True)
class Licence:
    code: str  # in the EU licence vocabulary, which DCAT-AP-NO requires for dct:license
    name: str
    url: str  # the licence text a person reads


@dataclass(frozen=True)
class Format:
    name: str
    file_type: str  # in the EU file-type vocabulary, for dct:format
    media_type: str  # IANA, for dcat:mediaType


CC_BY_4_0 = Licence(code="CC_BY_4_0", name="CC BY 4.0", url="https://creativecommons.org/licenses/by/4.0/")
JSON = Format(name="JSON", file_type="JSON", media_type="application/json")
CSV = Format(name="CSV", file_type="CSV", media_type="text/csv")
XLSX = Format(
    name="XLSX", file_type="XLSX", media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
JSON_STAT = Format(name="JSON-stat", file_type="JSON", media_type="application/json")
# What a download's format follows (a dct:Standard in the catalogue), and each standard's title.
STANDARDS = {CSV: "https://www.rfc-editor.org/rfc/rfc4180", JSON_STAT: "https://json-stat.org/format/"}
STANDARD_TITLES = {
    "https://www.rfc-editor.org/rfc/rfc4180": "RFC 4180: Common Format and MIME Type for CSV Files",
    "https://json-stat.org/format/": "JSON-stat 2.0",
    "https://standard.threesixtygiving.org/": "360Giving Data Standard",
}
SSB_ORGANISATION_NUMBER = "971526920"


@dataclass(frozen=True)
class Source:
    """Another publisher's dataset the figures come from (``dct:source``, itself a ``dcat:Dataset``)."""

    name: Texts
    url: str  # the dataset's address at its publisher, which is also its name in the catalogue
    title: Texts
    description: Texts
    themes: tuple[str, ...]


SSB = Texts(nb="Statistisk sentralbyrå (SSB)", nn="Statistisk sentralbyrå (SSB)", en="Statistics Norway (SSB)")


@dataclass(frozen=True)
class Distribution:
    key: str
    title: Texts
    description: Texts
    format: Format
    url_name: str
    # URL parameters the reader fills in (a municipality number); such a distribution is reached through
    # the API description rather than at one address.
    params: tuple[str, ...] = ()
    # True when one answer holds the whole dataset (a file to download), not a page of it.
    complete: bool = False
    conforms_to: str = ""
    query: str = ""  # e.g. "format=csv"

    @property
    def path(self) -> str:
        """The path, with ``{param}`` placeholders for what the reader fills in."""
        path = unquote(reverse(self.url_name, kwargs={p: f"{{{p}}}" for p in self.params}))
        return f"{path}?{self.query}" if self.query else path

    @property
    def downloadable(self) -> bool:
        return self.complete and not self.params


@dataclass(frozen=True)
class Facts:
    """What the database says about a dataset now."""

    modified: dt.datetime | None = None
    period: tuple[dt.date, dt.date] | None = None


@dataclass(frozen=True)
class Dataset:
    key: str
    title: Texts
    description: Texts
    themes: tuple[str, ...]
    keywords: tuple[Texts, ...]
    distributions: tuple[Distribution, ...]
    facts: Callable[[], Facts]
    licence: Licence = CC_BY_4_0
    languages: tuple[str, ...] = ("nb", "nn")  # the languages the data itself is written in
    source: Source | None = None  # where the figures come from, when not from the offices themselves


def _kommunebilder_facts() -> Facts:
    return Facts(modified=PublishedProfile.objects.aggregate(m=Max("published_at"))["m"])


def _grants_facts() -> Facts:
    """Changed when a grant was last awarded while cleared for publication, or when the office last
    cleared or withdrew an awarded grant (the flag change is only in the audit log)."""
    awarded = grants_public.awarded().aggregate(first=Min("decision__decided_at"), last=Max("decision__decided_at"))
    approved_ids = (
        Application.objects.filter(state=ApplicationState.APPROVED)
        .annotate(id_text=Cast("pk", CharField()))
        .values("id_text")
    )
    flagged = AuditEvent.objects.filter(
        action=AuditAction.GRANT_APPLICATION_PUBLICATION,
        object_type=ContentType.objects.get_for_model(Application),
        object_id__in=approved_ids,
    ).aggregate(m=Max("occurred_at"))["m"]
    modified = max((t for t in (awarded["last"], flagged) if t is not None), default=None)
    period = None
    if awarded["first"] is not None:
        period = (timezone.localdate(awarded["first"]), timezone.localdate(awarded["last"]))
    return Facts(modified=modified, period=period)


def _statistics_facts() -> Facts:
    found = Observation.objects.aggregate(fetched=Max("fetched_at"), first=Min("year"), last=Max("year"))
    period = None
    if found["first"] is not None:
        period = (dt.date(found["first"], 1, 1), dt.date(found["last"], 12, 31))
    return Facts(modified=found["fetched"], period=period)


def _register_facts() -> Facts:
    # The import writes (and audits) only rows that differ, so its newest audit event is the last change.
    return Facts(
        modified=AuditEvent.objects.filter(action__startswith="registry_import.").aggregate(m=Max("occurred_at"))["m"]
    )


def _downloads(key: str, url_name: str, param: str, what: Texts) -> tuple[Distribution, ...]:
    """A download in CSV, XLSX and JSON-stat (``?format=``), each its own distribution."""
    found = []
    for fmt, query, label in (
        (CSV, "csv", "CSV"),
        (XLSX, "xlsx", "Excel (XLSX)"),
        (JSON_STAT, "json-stat", "JSON-stat"),
    ):
        found.append(
            Distribution(
                key=f"{key}-{query}",
                title=Texts(nb=f"Nedlasting ({label})", nn=f"Nedlasting ({label})", en=f"Download ({label})"),
                description=Texts(
                    nb=f"Fil med {what.nb}; én rad per tall med kilde.",
                    nn=f"Fil med {what.nn}; éi rad per tal med kjelde.",
                    en=f"A file with {what.en}; one row per figure with its source.",
                ),
                format=fmt,
                url_name=url_name,
                params=(param,),
                conforms_to=STANDARDS.get(fmt, ""),
                query=f"format={query}",
            )
        )
    return tuple(found)


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        key="kommunebilder",
        title=Texts(nb="Publiserte kommunebilder", nn="Publiserte kommunebilete", en="Published kommunebilder"),
        description=Texts(
            nb="Statsforvalterens publiserte vurderinger av hver kommune (kommunebilde): for hvert fagområde en "
            "vurdering i tre kategorier med begrunnelse og grunnlaget den bygger på (statistikk med kilde, tilsyn, "
            "planer), hovedbildet og datoen dataene gjelder. Hver publisering er et uforanderlig øyeblikksbilde med "
            "SHA-256-sjekksum, og tidligere publiseringer er fortsatt tilgjengelige. Kommunebildet er ikke en "
            "rangering og ikke en helhetsvurdering av kommunen.",
            nn="Statsforvaltaren sine publiserte vurderingar av kvar kommune (kommunebilete): for kvart fagområde ei "
            "vurdering i tre kategoriar med grunngiving og grunnlaget ho byggjer på (statistikk med kjelde, tilsyn, "
            "planar), hovudbiletet og datoen dataa gjeld. Kvar publisering er eit uforanderleg augneblinksbilete med "
            "SHA-256-sjekksum, og tidlegare publiseringar er framleis tilgjengelege. Kommunebiletet er ikkje ei "
            "rangering og ikkje ei heilskapsvurdering av kommunen.",
            en="The County Governors' published assessments of each municipality (kommunebilde): for each policy "
            "area a rating in three categories with its justification and the evidence it rests on (statistics with "
            "their source, supervisions, plans), the overall picture and the date of the data. Each publication is an "
            "unchangeable snapshot with a SHA-256 checksum, and earlier publications stay available. A kommunebilde "
            "is not a ranking and not a total judgement of the municipality.",
        ),
        themes=("GOVE", "REGI", "HEAL", "EDUC", "SOCI", "ECON", "ENVI"),
        keywords=(
            Texts(nb="kommunebilde", nn="kommunebilete", en="kommunebilde"),
            Texts(nb="kommune", nn="kommune", en="municipality"),
            Texts(nb="statsforvalteren", nn="statsforvaltaren", en="County Governor"),
            Texts(nb="tilsyn", nn="tilsyn", en="supervision"),
        ),
        distributions=(
            Distribution(
                key="kommunebilder-api",
                title=Texts(
                    nb="JSON-API: kommunebildene til en kommune",
                    nn="JSON-API: kommunebileta til ein kommune",
                    en="JSON API: a municipality's kommunebilder",
                ),
                description=Texts(
                    nb="Gjeldende og arkiverte kommunebilder for én kommune (etter kommunenummer), hvert med hele "
                    "det frosne innholdet på sin egen adresse. Beskrevet i OpenAPI-dokumentet.",
                    nn="Gjeldande og arkiverte kommunebilete for éin kommune (etter kommunenummer), kvart med heile "
                    "det frosne innhaldet på si eiga adresse. Skildra i OpenAPI-dokumentet.",
                    en="The current and archived kommunebilder of one municipality (by municipality number), each "
                    "with its whole frozen content at its own address. Described in the OpenAPI document.",
                ),
                format=JSON,
                url_name="api:list_kommunebilder",
                params=("number",),
            ),
        ),
        facts=_kommunebilder_facts,
    ),
    Dataset(
        key="prosjektskjonn",
        title=Texts(
            nb="Innvilgede prosjektskjønnsmidler",
            nn="Innvilga prosjektskjønsmidlar",
            en="Awarded discretionary grants (prosjektskjønn)",
        ),
        description=Texts(
            nb="Tilskudd statsforvalterne har innvilget til kommuner for fornyings- og innovasjonsprosjekter: tittel "
            "og sammendrag (kontrollert av embetet før publisering), tema, innvilget og omsøkt beløp, vedtaksdato, "
            "søkerkommune og samarbeidskommuner, prosjektperiode og status. Bare innvilgede tilskudd som embetet "
            "har klarert for publisering, er med.",
            nn="Tilskot statsforvaltarane har innvilga til kommunar for fornyings- og innovasjonsprosjekt: tittel og "
            "samandrag (kontrollert av embetet før publisering), tema, innvilga og omsøkt beløp, vedtaksdato, "
            "søkjarkommune og samarbeidskommunar, prosjektperiode og status. Berre innvilga tilskot som embetet har "
            "klarert for publisering, er med.",
            en="Grants the County Governors have awarded to municipalities for renewal and innovation projects: "
            "title and summary (checked by the office before publication), theme, amounts awarded and applied for, "
            "award date, lead and partner municipalities, project period and state. Only awarded grants the office "
            "has cleared for publication are included.",
        ),
        themes=("GOVE", "ECON", "REGI"),
        keywords=(
            Texts(nb="prosjektskjønn", nn="prosjektskjønn", en="prosjektskjønn"),
            Texts(nb="skjønnsmidler", nn="skjønsmidlar", en="discretionary grants"),
            Texts(nb="tilskudd", nn="tilskot", en="grants"),
            Texts(nb="innovasjon", nn="innovasjon", en="innovation"),
            Texts(nb="360Giving", nn="360Giving", en="360Giving"),
        ),
        distributions=(
            Distribution(
                key="prosjektskjonn-api",
                title=Texts(
                    nb="JSON-API: innvilgede tilskudd", nn="JSON-API: innvilga tilskot", en="JSON API: awarded grants"
                ),
                description=Texts(
                    nb="Sidedelt liste, nyeste først, som kan filtreres på embete, fylke, kommune, år og tema.",
                    nn="Sidedelt liste, nyaste først, som kan filtrerast på embete, fylke, kommune, år og tema.",
                    en="A paged list, newest first, that can be filtered by office, county, municipality, year "
                    "and theme.",
                ),
                format=JSON,
                url_name="api:list_grants",
            ),
            Distribution(
                key="prosjektskjonn-360giving-json",
                title=Texts(nb="360Giving JSON", nn="360Giving JSON", en="360Giving JSON"),
                description=Texts(
                    nb="Alle publiserte innvilgede tilskudd som én datapakke etter 360Giving-standarden.",
                    nn="Alle publiserte innvilga tilskot som éin datapakke etter 360Giving-standarden.",
                    en="Every published awarded grant as one data package in the 360Giving Data Standard.",
                ),
                format=JSON,
                url_name="api:grants_360giving_json",
                complete=True,
                conforms_to="https://standard.threesixtygiving.org/",
            ),
            Distribution(
                key="prosjektskjonn-360giving-csv",
                title=Texts(
                    nb="360Giving CSV (regneark)", nn="360Giving CSV (rekneark)", en="360Giving CSV (spreadsheet)"
                ),
                description=Texts(
                    nb="De samme tilskuddene som én flat CSV-fil (UTF-8) med kolonnetitlene fra 360Giving.",
                    nn="Dei same tilskota som éi flat CSV-fil (UTF-8) med kolonnetitlane frå 360Giving.",
                    en="The same grants as one flat CSV file (UTF-8) with the 360Giving column titles.",
                ),
                format=CSV,
                url_name="api:grants_360giving_csv",
                complete=True,
                conforms_to="https://standard.threesixtygiving.org/",
            ),
        ),
        facts=_grants_facts,
    ),
    Dataset(
        key="statistikk",
        title=Texts(
            nb="Kommuneindikatorer med sammenligninger",
            nn="Kommuneindikatorar med samanlikningar",
            en="Municipal indicators with comparisons",
        ),
        description=Texts(
            nb="Indikatorene statsforvalterne bruker i kommunebildet, med definisjoner, og hver kommunes tall over "
            "tid ved siden av KOSTRA-gruppen, fylket og landet (median og midtre halvdel) og utviklingsretningen. "
            "Tallene kommer fra Statistisk sentralbyrå (SSB) med tabell, innholdskode, periode, revisjon og "
            "hentetidspunkt; manglende verdier er markert, aldri satt til null. Det gis ingen rangering.",
            nn="Indikatorane statsforvaltarane brukar i kommunebiletet, med definisjonar, og tala til kvar kommune "
            "over tid ved sida av KOSTRA-gruppa, fylket og landet (median og midtre halvdel) og utviklingsretninga. "
            "Tala kjem frå Statistisk sentralbyrå (SSB) med tabell, innhaldskode, periode, revisjon og "
            "hentetidspunkt; manglande verdiar er markerte, aldri sette til null. Det blir ikkje gitt nokon rangering.",
            en="The indicators the County Governors use in the kommunebilde, with their definitions, and each "
            "municipality's figures over time beside its KOSTRA group, county and country (median and middle half) "
            "and its direction of travel. The figures come from Statistics Norway (SSB) with table, content code, "
            "period, revision and fetch time; missing values are marked, never set to zero. No ranking is given.",
        ),
        themes=("GOVE", "REGI", "ECON", "HEAL", "EDUC", "SOCI"),
        keywords=(
            Texts(nb="KOSTRA", nn="KOSTRA", en="KOSTRA"),
            Texts(nb="kommunestatistikk", nn="kommunestatistikk", en="municipal statistics"),
            Texts(nb="indikator", nn="indikator", en="indicator"),
            Texts(nb="SSB", nn="SSB", en="Statistics Norway"),
        ),
        source=Source(
            name=SSB,
            url="https://www.ssb.no/statbank",
            title=Texts(nb="Statistikkbanken", nn="Statistikkbanken", en="StatBank Norway"),
            description=Texts(
                nb="SSBs statistikkbank med KOSTRA og befolkningsstatistikk for alle kommuner.",
                nn="Statistikkbanken til SSB med KOSTRA og befolkningsstatistikk for alle kommunar.",
                en="Statistics Norway's StatBank with KOSTRA and population statistics for every municipality.",
            ),
            themes=("GOVE", "REGI", "ECON"),
        ),
        distributions=(
            Distribution(
                key="statistikk-indikatorer",
                title=Texts(
                    nb="Indikatorkatalog (JSON)", nn="Indikatorkatalog (JSON)", en="Indicator catalogue (JSON)"
                ),
                description=Texts(
                    nb="Alle indikatorer med navn og definisjon på bokmål og nynorsk, enhet, polaritet og kilde.",
                    nn="Alle indikatorar med namn og definisjon på bokmål og nynorsk, eining, polaritet og kjelde.",
                    en="Every indicator with its name and definition in bokmål and nynorsk, unit, polarity and source.",
                ),
                format=JSON,
                url_name="api:list_indicators",
                complete=True,
            ),
            Distribution(
                key="statistikk-kommune-api",
                title=Texts(
                    nb="JSON-API: tallene for én kommune",
                    nn="JSON-API: tala for éin kommune",
                    en="JSON API: one municipality's figures",
                ),
                description=Texts(
                    nb="Tallene for én kommune med kilde og sammenligninger, eventuelt for ett fagområde.",
                    nn="Tala for éin kommune med kjelde og samanlikningar, eventuelt for eitt fagområde.",
                    en="One municipality's figures with their source and comparisons, optionally for one policy area.",
                ),
                format=JSON,
                url_name="api:municipality_indicators",
                params=("number",),
            ),
            *_downloads(
                "statistikk-indikator",
                "api:indicator_data",
                "key",
                Texts(
                    nb="én indikators tall for alle kommuner, KOSTRA-grupper, fylker og landet, alle år",
                    nn="tala til éin indikator for alle kommunar, KOSTRA-grupper, fylke og landet, alle år",
                    en="one indicator's figures for every municipality, KOSTRA group, county and the country, every year",
                ),
            ),
            *_downloads(
                "statistikk-kommune",
                "api:municipality_data",
                "number",
                Texts(
                    nb="én kommunes tall for alle indikatorer og år, med KOSTRA-gruppen, fylket og landet",
                    nn="tala til éin kommune for alle indikatorar og år, med KOSTRA-gruppa, fylket og landet",
                    en="one municipality's figures for every indicator and year, with its KOSTRA group, county and country",
                ),
            ),
        ),
        facts=_statistics_facts,
    ),
    Dataset(
        key="kommuneregister",
        title=Texts(
            nb="Kommuner, fylker og statsforvalterembeter med kodehistorikk",
            nn="Kommunar, fylke og statsforvaltarembete med kodehistorikk",
            en="Municipalities, counties and County Governor offices with code history",
        ),
        description=Texts(
            nb="Alle kommunenumre med gyldighetsperiode, navn, fylke, statsforvalterembete, KOSTRA-gruppe, "
            "sentralitet, målform og folketall, og kodeendringene med vekter for delinger, slik at tidsserier kan "
            "følges gjennom sammenslåinger og delinger. Bygger på klassifikasjonene til SSB (KLASS).",
            nn="Alle kommunenummer med gyldigheitsperiode, namn, fylke, statsforvaltarembete, KOSTRA-gruppe, "
            "sentralitet, målform og folketal, og kodeendringane med vekter for delingar, slik at tidsseriar kan "
            "følgjast gjennom samanslåingar og delingar. Byggjer på klassifikasjonane til SSB (KLASS).",
            en="Every municipality number with its validity, names, county, County Governor office, KOSTRA group, "
            "centrality, written standard (målform) and population, and the code changes with weights for splits, "
            "so that series can be followed through mergers and splits. Based on SSB's classifications (KLASS).",
        ),
        themes=("GOVE", "REGI"),
        keywords=(
            Texts(nb="kommunenummer", nn="kommunenummer", en="municipality number"),
            Texts(nb="kommunesammenslåing", nn="kommunesamanslåing", en="municipal merger"),
            Texts(nb="fylke", nn="fylke", en="county"),
            Texts(nb="KLASS", nn="KLASS", en="KLASS"),
        ),
        source=Source(
            name=SSB,
            url="https://www.ssb.no/klass/",
            title=Texts(nb="KLASS: SSBs klassifikasjoner", nn="KLASS: klassifikasjonane til SSB", en="KLASS"),
            description=Texts(
                nb="SSBs klassifikasjoner og kodelister, blant dem kommuner, fylker og endringene i dem.",
                nn="Klassifikasjonane og kodelistene til SSB, mellom dei kommunar, fylke og endringane i dei.",
                en="Statistics Norway's classifications and code lists, among them municipalities and counties.",
            ),
            themes=("GOVE", "REGI"),
        ),
        distributions=(
            Distribution(
                key="kommuneregister-api",
                title=Texts(nb="JSON-API: kommuner", nn="JSON-API: kommunar", en="JSON API: municipalities"),
                description=Texts(
                    nb="Sidedelt liste over kommunene som gjelder på en dato, eventuelt i ett fylke eller embete; "
                    "historikken til hvert nummer har sin egen adresse.",
                    nn="Sidedelt liste over kommunane som gjeld på ein dato, eventuelt i eitt fylke eller embete; "
                    "historikken til kvart nummer har si eiga adresse.",
                    en="A paged list of the municipalities valid on a date, optionally in one county or office; "
                    "each number's history has its own address.",
                ),
                format=JSON,
                url_name="api:list_municipalities",
            ),
        ),
        facts=_register_facts,
    ),
)


@dataclass(frozen=True)
class DatasetNow:
    """A dataset with what the database says about it at this moment."""

    dataset: Dataset
    facts: Facts


def datasets_now() -> list[DatasetNow]:
    return [DatasetNow(dataset=d, facts=d.facts()) for d in DATASETS]


def catalogue_modified(found: list[DatasetNow]) -> dt.datetime | None:
    return max((d.facts.modified for d in found if d.facts.modified is not None), default=None)


CATALOGUE_TITLE = Texts(nb="Kommunedialog: åpne data", nn="Kommunedialog: opne data", en="Kommunedialog: open data")
CATALOGUE_DESCRIPTION = Texts(
    nb="Åpne data fra Kommunedialog, statsforvalternes tjeneste for kommunebilder og prosjektskjønn: "
    "publiserte kommunebilder, innvilgede tilskudd, kommuneindikatorer og kommuneregisteret.",
    nn="Opne data frå Kommunedialog, tenesta til statsforvaltarane for kommunebilete og prosjektskjønn: "
    "publiserte kommunebilete, innvilga tilskot, kommuneindikatorar og kommuneregisteret.",
    en="Open data from Kommunedialog, the County Governors' service for kommunebilder and discretionary grants: "
    "published kommunebilder, awarded grants, municipal indicators and the municipality register.",
)
API_TITLE = Texts(
    nb="Kommunedialog: API for åpne data", nn="Kommunedialog: API for opne data", en="Kommunedialog open data API"
)


@dataclass(frozen=True)
class Publisher:
    name: str
    organisation_number: str  # empty when the operator has not configured one


def publisher() -> Publisher:
    return Publisher(name=settings.OPEN_DATA_PUBLISHER_NAME, organisation_number=settings.OPEN_DATA_PUBLISHER_ORGNR)


def contact_email() -> str:
    return str(settings.OPEN_DATA_CONTACT_EMAIL)


def base_url(request: HttpRequest) -> str:
    """The configured public address, or (in development) the address the request came to."""
    return str(settings.PUBLIC_BASE_URL) or f"{request.scheme}://{request.get_host()}"
