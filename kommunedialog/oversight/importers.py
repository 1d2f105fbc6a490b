"""The import formats: one per kind of record, each a list of columns, and the parsing of a file's
rows into specs for the services. Parsing never stops at the first problem: it collects a reason for
every bad cell of every row, so one round of corrections is enough.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommunedialog.core.domains import Domain, parse_domain
from kommunedialog.oversight.models import Authority, LegalForm, PlanType, SupervisionStatus, SupervisionType
from kommunedialog.oversight.specs import ComplaintSpec, CooperationSpec, PlanSpec, SupervisionSpec
from kommunedialog.oversight.tabular import (
    RowError,
    Table,
    looks_like_national_id,
    looks_like_personal_header,
    normalise_header,
)
from kommunedialog.registry.models import Municipality, Office


class ImportKind(models.TextChoices):
    SUPERVISIONS = "supervisions", gettext_lazy("Supervisions")
    COMPLAINTS = "complaints", gettext_lazy("Complaint statistics")
    PLANS = "plans", gettext_lazy("Plans and governance documents")
    COOPERATIONS = "cooperations", gettext_lazy("Inter-municipal cooperation")


@dataclass(frozen=True)
class Column:
    key: str
    help: Promise | str
    example: str
    required: bool = True
    aliases: tuple[str, ...] = ()


MUNICIPALITY = Column(
    "municipality", gettext_lazy("Municipality number, four digits"), "1133", aliases=("kommunenummer", "kommunenr")
)
DOMAIN = Column(
    "domain",
    gettext_lazy("Domain, e.g. “helse og omsorg” or “barnevern”"),
    "helse og omsorg",
    aliases=("fagområde", "fagomrade"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    ImportKind.SUPERVISIONS: (
        MUNICIPALITY,
        DOMAIN,
        Column(
            "authority",
            gettext_lazy("Supervising authority, e.g. “statsforvalteren” or “helsetilsynet”"),
            "statsforvalteren",
            aliases=("tilsynsmyndighet",),
        ),
        Column(
            "reference",
            gettext_lazy("The authority's case number"),
            "2025/1234",
            aliases=("saksnummer", "referanse"),
        ),
        Column(
            "topic", gettext_lazy("Topic of the supervision"), "Tjenester til personer med demens", aliases=("tema",)
        ),
        Column(
            "type",
            gettext_lazy("Type, e.g. “systemrevisjon”, “egenvurdering”, “landsomfattende tilsyn”"),
            "systemrevisjon",
            aliases=("tilsynstype",),
        ),
        Column("planned", gettext_lazy("Planned date (YYYY-MM-DD or DD.MM.YYYY)"), "2025-03-01", False, ("planlagt",)),
        Column("carried_out", gettext_lazy("Date carried out"), "2025-04-10", False, ("gjennomført", "gjennomfort")),
        Column("report_date", gettext_lazy("Date of the final report"), "2025-05-20", False, ("rapportdato",)),
        Column("nonconformities", gettext_lazy("Number of nonconformities (avvik)"), "1", False, ("avvik",)),
        Column("remarks", gettext_lazy("Number of remarks (merknader)"), "2", False, ("merknader",)),
        Column(
            "nonconformity_texts",
            gettext_lazy("Short texts of the nonconformities, separated by |"),
            "Kommunen sikrer ikke forsvarlig kartlegging",
            False,
            ("avvik_tekst", "avvikstekst"),
        ),
        Column(
            "remark_texts",
            gettext_lazy("Short texts of the remarks, separated by |"),
            "Rutiner er ikke kjent | Opplæring mangler",
            False,
            ("merknad_tekst", "merknadstekst"),
        ),
        Column("status", gettext_lazy("Status: open or closed (åpen / lukket)"), "åpen", aliases=("tilsynsstatus",)),
        Column("closed", gettext_lazy("Closing date, when closed"), "", False, ("lukket", "lukket_dato")),
        Column(
            "report_url",
            gettext_lazy("Link to the public report"),
            "https://www.helsetilsynet.no/",
            False,
            ("rapport", "lenke"),
        ),
    ),
    ImportKind.COMPLAINTS: (
        MUNICIPALITY,
        DOMAIN,
        Column("year", gettext_lazy("Year the cases were decided"), "2025", aliases=("år", "aar")),
        Column("received", gettext_lazy("Cases received"), "14", aliases=("mottatt",)),
        Column("decided", gettext_lazy("Cases decided"), "12", aliases=("avgjort", "behandlet")),
        Column("upheld", gettext_lazy("Decisions upheld"), "9", aliases=("stadfestet",)),
        Column("reversed", gettext_lazy("Decisions reversed"), "2", aliases=("omgjort",)),
        Column(
            "sent_back", gettext_lazy("Decisions quashed and sent back"), "1", aliases=("opphevet", "sendt_tilbake")
        ),
    ),
    ImportKind.PLANS: (
        MUNICIPALITY,
        Column(
            "type",
            gettext_lazy("Plan type, e.g. “planstrategi”, “samfunnsdel”, “arealdel”, “helhetlig ROS”, “økonomiplan”"),
            "planstrategi",
            aliases=("plantype",),
        ),
        Column("title", gettext_lazy("Title"), "Kommunal planstrategi 2024–2027", False, ("tittel",)),
        Column("adopted", gettext_lazy("Date adopted"), "2024-06-20", aliases=("vedtatt", "vedtaksdato")),
        Column("revision_due", gettext_lazy("Revision due"), "", False, ("revisjon", "rulleres")),
        Column("url", gettext_lazy("Link to the plan"), "", False, ("lenke",)),
    ),
    ImportKind.COOPERATIONS: (
        Column("arrangement", gettext_lazy("Name of the arrangement"), "Ryfylke IKS", aliases=("ordning", "samarbeid")),
        Column(
            "service_area",
            gettext_lazy("Service shared, e.g. “legevakt”, “barnevern”, “brann og redning”"),
            "legevakt",
            aliases=("tjenesteområde", "tjenesteomrade", "tjeneste"),
        ),
        Column(
            "domain", gettext_lazy("Domain, when the service belongs to one"), "helse og omsorg", False, ("fagområde",)
        ),
        Column(
            "legal_form",
            gettext_lazy("Legal form, e.g. “IKS”, “vertskommune”, “§ 17-1 samarbeid”"),
            "vertskommune",
            aliases=("organisering", "selskapsform"),
        ),
        Column("host", gettext_lazy("Host municipality number, if any"), "1134", False, ("vertskommune",)),
        Column(
            "members",
            gettext_lazy("Member municipality numbers, separated by commas"),
            "1133, 1134",
            aliases=("deltakere", "medlemmer", "kommuner"),
        ),
    ),
}


# Words staff write for the choices, beside the codes and the labels in the active language.
ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Authority: {"sf": Authority.OFFICE, "statens helsetilsyn": Authority.HELSETILSYNET, "annen": Authority.OTHER},
    SupervisionType: {
        "systemrevisjon": SupervisionType.SYSTEM_AUDIT,
        "landsomfattende tilsyn": SupervisionType.NATIONWIDE,
        "landsomfattande tilsyn": SupervisionType.NATIONWIDE,
        "egenvurdering": SupervisionType.SELF_ASSESSMENT,
        "eigenvurdering": SupervisionType.SELF_ASSESSMENT,
        "dokumenttilsyn": SupervisionType.DOCUMENT,
        "skriftlig tilsyn": SupervisionType.DOCUMENT,
        "hendelsesbasert tilsyn": SupervisionType.INCIDENT,
        "hendelsesbasert": SupervisionType.INCIDENT,
        "inspeksjon": SupervisionType.INSPECTION,
        "stikkprøve": SupervisionType.INSPECTION,
        "annet": SupervisionType.OTHER,
    },
    SupervisionStatus: {
        "åpen": SupervisionStatus.OPEN,
        "åpent": SupervisionStatus.OPEN,
        "open": SupervisionStatus.OPEN,
        "lukket": SupervisionStatus.CLOSED,
        "lukka": SupervisionStatus.CLOSED,
        "avsluttet": SupervisionStatus.CLOSED,
        "closed": SupervisionStatus.CLOSED,
    },
    PlanType: {
        "planstrategi": PlanType.PLANNING_STRATEGY,
        "kommunal planstrategi": PlanType.PLANNING_STRATEGY,
        "samfunnsdel": PlanType.SOCIETAL_PART,
        "kommuneplanens samfunnsdel": PlanType.SOCIETAL_PART,
        "arealdel": PlanType.LAND_USE_PART,
        "kommuneplanens arealdel": PlanType.LAND_USE_PART,
        "helhetlig ros": PlanType.RISK_VULNERABILITY,
        "heilskapleg ros": PlanType.RISK_VULNERABILITY,
        "ros": PlanType.RISK_VULNERABILITY,
        "overordnet beredskapsplan": PlanType.EMERGENCY_PLAN,
        "overordna beredskapsplan": PlanType.EMERGENCY_PLAN,
        "beredskapsplan": PlanType.EMERGENCY_PLAN,
        "klima- og energiplan": PlanType.CLIMATE_ENERGY,
        "klimaplan": PlanType.CLIMATE_ENERGY,
        "økonomiplan": PlanType.FINANCIAL_PLAN,
    },
    LegalForm: {
        "interkommunalt selskap": LegalForm.IKS,
        "vertskommune": LegalForm.HOST_MUNICIPALITY,
        "vertskommunesamarbeid": LegalForm.HOST_MUNICIPALITY,
        "vertskommune med felles folkevalgt nemnd": LegalForm.JOINT_BOARD,
        "kommunalt oppgavefellesskap": LegalForm.TASK_COMMUNITY,
        "interkommunalt politisk råd": LegalForm.POLITICAL_COUNCIL,
        "§ 17-1 samarbeid": LegalForm.CONTRACT,
        "§17-1 samarbeid": LegalForm.CONTRACT,
        "17-1": LegalForm.CONTRACT,
        "avtalebasert samarbeid": LegalForm.CONTRACT,
        "as": LegalForm.COMPANY,
        "aksjeselskap": LegalForm.COMPANY,
        "annet": LegalForm.OTHER,
    },
}

SEPARATOR = "|"


def _words(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


class RowReader:
    """Reads the cells of one row, noting a reason for each one that does not parse."""

    def __init__(
        self, line: int, cells: Mapping[str, Any], municipalities: Mapping[str, Municipality], office: Office
    ) -> None:
        self.line = line
        self.cells = cells
        self.municipalities = municipalities
        self.office = office
        self.errors: list[RowError] = []

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.line, reason, column))

    def raw(self, key: str) -> Any:
        value = self.cells.get(key)
        return value.strip() if isinstance(value, str) else value

    def present(self, key: str) -> bool:
        return self.raw(key) not in (None, "")

    def text(self, key: str, *, max_length: int, required: bool = True) -> str:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A value is required."))
            return ""
        text = " ".join(str(value).split())
        if len(text) > max_length:
            self.fail(key, _("At most %(max)s characters.") % {"max": max_length})
        return text

    def texts(self, key: str, *, max_length: int) -> tuple[str, ...]:
        value = self.raw(key)
        if value in (None, ""):
            return ()
        parts = tuple(" ".join(p.split()) for p in str(value).split(SEPARATOR) if p.strip())
        if any(len(p) > max_length for p in parts):
            self.fail(key, _("Each text is at most %(max)s characters.") % {"max": max_length})
        return parts

    def integer(self, key: str, *, required: bool = True, default: int = 0) -> int:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A number is required."))
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"\d+", value.replace(" ", "")):
            number = int(value.replace(" ", ""))
        else:
            self.fail(key, _("“%(value)s” is not a whole number.") % {"value": value})
            return default
        if number < 0 or number > 1_000_000:
            self.fail(key, _("%(value)s is outside the range 0 to 1 000 000.") % {"value": number})
        return number

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A date is required."))
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value)
        for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
            try:
                return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
            except ValueError:
                continue
        self.fail(key, _("“%(value)s” is not a date (YYYY-MM-DD or DD.MM.YYYY).") % {"value": text})
        return None

    def choice(self, key: str, choices: type[models.TextChoices], *, required: bool = True) -> str:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A value is required."))
            return ""
        wanted = _words(value)
        with translation.override("en"):
            english = {_words(c.label): c for c in choices}
        known = {c.value: c for c in choices} | english | {_words(c.label): c for c in choices}
        found = (known | ALIASES.get(choices, {})).get(wanted)
        if found is None:
            self.fail(key, _("“%(value)s” is not one of the accepted values.") % {"value": value})
            return ""
        return str(found)

    def domain(self, key: str, *, required: bool = True) -> str:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A value is required."))
            return ""
        domain = parse_domain(str(value))
        if domain is None:
            self.fail(key, _("“%(value)s” is not a known domain.") % {"value": value})
            return ""
        return str(domain.value)

    def url(self, key: str) -> str:
        value = self.text(key, max_length=500, required=False)
        if value:
            try:
                URLValidator(schemes=["https", "http"])(value)
            except ValidationError:
                self.fail(key, _("“%(value)s” is not a web address.") % {"value": value})
        return value

    def _one_municipality(self, key: str, value: Any, *, in_office: bool) -> Municipality | None:
        number = str(int(value)) if isinstance(value, int | float) else str(value).strip()
        # Spreadsheets drop the leading zero of 0301 Oslo.
        number = number.zfill(4) if number.isdigit() and len(number) < 4 else number
        municipality = self.municipalities.get(number)
        if municipality is None:
            self.fail(key, _("%(number)s is not a current municipality number.") % {"number": number})
            return None
        if in_office and municipality.office != self.office:
            self.fail(
                key,
                _("%(number)s %(name)s is outside the area of %(office)s.")
                % {"number": municipality.number, "name": municipality.name_norwegian, "office": self.office},
            )
        return municipality

    def municipality(self, key: str, *, required: bool = True, in_office: bool = True) -> Municipality | None:
        value = self.raw(key)
        if value in (None, ""):
            if required:
                self.fail(key, _("A municipality number is required."))
            return None
        return self._one_municipality(key, value, in_office=in_office)

    def municipality_list(self, key: str) -> tuple[Municipality, ...]:
        value = self.raw(key)
        if value in (None, ""):
            self.fail(key, _("A value is required."))
            return ()
        parts = [value] if isinstance(value, int | float) else [p for p in re.split(r"[,;\s]+", str(value)) if p]
        found = [self._one_municipality(key, p, in_office=False) for p in parts]
        members = tuple(dict.fromkeys(m for m in found if m is not None))
        if members and not any(m.office == self.office for m in members):
            self.fail(key, _("None of the members is in the area of %(office)s.") % {"office": self.office})
        return members


def _supervision(r: RowReader) -> SupervisionSpec | None:
    spec = SupervisionSpec(
        municipality=r.municipality("municipality"),  # type: ignore[arg-type]
        domain=r.domain("domain"),
        authority=r.choice("authority", Authority),
        reference=r.text("reference", max_length=60),
        topic=r.text("topic", max_length=300),
        supervision_type=r.choice("type", SupervisionType),
        planned_on=r.date("planned"),
        carried_out_on=r.date("carried_out"),
        report_on=r.date("report_date"),
        nonconformity_count=r.integer("nonconformities", required=False),
        remark_count=r.integer("remarks", required=False),
        nonconformities=r.texts("nonconformity_texts", max_length=500),
        remarks=r.texts("remark_texts", max_length=500),
        status=r.choice("status", SupervisionStatus),
        closed_on=r.date("closed"),
        report_url=r.url("report_url"),
    )
    return spec


def _complaint(r: RowReader) -> ComplaintSpec | None:
    year = r.integer("year")
    if year and not 2000 <= year <= 2100:
        r.fail("year", _("%(value)s is not a year.") % {"value": year})
    return ComplaintSpec(
        municipality=r.municipality("municipality"),  # type: ignore[arg-type]
        domain=r.domain("domain"),
        year=year,
        received=r.integer("received"),
        decided=r.integer("decided"),
        upheld=r.integer("upheld"),
        reversed=r.integer("reversed"),
        sent_back=r.integer("sent_back"),
    )


def _plan(r: RowReader) -> PlanSpec | None:
    return PlanSpec(
        municipality=r.municipality("municipality"),  # type: ignore[arg-type]
        plan_type=r.choice("type", PlanType),
        adopted_on=r.date("adopted", required=True),  # type: ignore[arg-type]
        title=r.text("title", max_length=300, required=False),
        revision_due=r.date("revision_due"),
        url=r.url("url"),
    )


def _cooperation(r: RowReader) -> CooperationSpec | None:
    return CooperationSpec(
        name=r.text("arrangement", max_length=200),
        service_area=r.text("service_area", max_length=200),
        domain=r.domain("domain", required=False),
        legal_form=r.choice("legal_form", LegalForm),
        host=r.municipality("host", required=False, in_office=False),
        members=r.municipality_list("members"),
    )


PARSERS: dict[str, Callable[[RowReader], Any]] = {
    ImportKind.SUPERVISIONS: _supervision,
    ImportKind.COMPLAINTS: _complaint,
    ImportKind.PLANS: _plan,
    ImportKind.COOPERATIONS: _cooperation,
}


def _map_headers(kind: str, headers: list[str], table: Table) -> tuple[dict[int, str], list[RowError]]:
    """Which column index holds which field; file-level errors for unknown, personal or missing columns."""
    columns = COLUMNS[kind]
    lookup = {normalise_header(name): column.key for column in columns for name in (column.key, *column.aliases)}
    mapping: dict[int, str] = {}
    errors: list[RowError] = []
    for index, header in enumerate(headers):
        key = normalise_header(header)
        if not key:
            if any(index < len(cells) and cells[index] not in (None, "") for _line, cells in table.rows):
                errors.append(RowError(1, _("Column %(n)s has values but no header.") % {"n": index + 1}))
            continue
        if key in lookup:
            if lookup[key] in mapping.values():
                errors.append(RowError(1, _("The column “%(header)s” appears twice.") % {"header": header}))
            mapping[index] = lookup[key]
        elif looks_like_personal_header(header):
            errors.append(
                RowError(
                    1,
                    _(
                        "The column “%(header)s” looks like personal data (a name or national identity number). "
                        "These lists hold aggregated facts only: remove the column."
                    )
                    % {"header": header},
                )
            )
        else:
            errors.append(
                RowError(
                    1,
                    _("Unknown column “%(header)s”. The columns are: %(columns)s.")
                    % {"header": header, "columns": ", ".join(c.key for c in columns)},
                )
            )
    missing = [c.key for c in columns if c.required and c.key not in mapping.values()]
    if missing:
        errors.append(RowError(1, _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}))
    return mapping, errors


def parse_table(*, kind: str, table: Table, office: Office) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """The rows of ``table`` as specs, and every problem found, each with its line."""
    if kind not in PARSERS:
        raise ValueError(f"Unknown import kind {kind!r}")
    mapping, errors = _map_headers(kind, table.headers, table)
    if errors:
        return [], errors
    if not table.rows:
        return [], [RowError(0, _("The file has a header but no rows."))]
    municipalities = {m.number: m for m in Municipality.objects.current().select_related("county__office")}
    parsed: list[tuple[int, Any]] = []
    first_line_of: dict[Any, int] = {}
    for line, values in table.rows:
        cells = {key: values[index] if index < len(values) else None for index, key in mapping.items()}
        # Anything that looks like a national identity number stops the whole file, whatever the column.
        personal = [key for key, value in cells.items() if looks_like_national_id(value)]
        if personal:
            errors.extend(
                RowError(line, _("This looks like a national identity number; remove personal data."), key)
                for key in personal
            )
            continue
        reader = RowReader(line, cells, municipalities, office)
        spec = PARSERS[kind](reader)
        if reader.errors:
            errors.extend(reader.errors)
            continue
        if spec.key in first_line_of:
            errors.append(RowError(line, _("The same record as on line %(line)s.") % {"line": first_line_of[spec.key]}))
            continue
        first_line_of[spec.key] = line
        parsed.append((line, spec))
    return parsed, errors


def template_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    """The header and a guide (column, required, what to write, example) for the downloadable template."""
    columns = COLUMNS[kind]
    guide = [[c.key, _("yes") if c.required else _("no"), str(c.help), c.example] for c in columns]
    return [c.key for c in columns], guide


def domain_choices() -> list[tuple[str, str]]:
    return [(d.value, str(d.label)) for d in Domain]
