"""A call's cases for the public archive: one ZIP with ``arkivstruktur.xml`` (metadata modelled on Noark 5's
arkivstruktur: saksmappe → journalpost → dokumentbeskrivelse → dokumentobjekt, with the Noark element
names) and the documents it points to, each with its SHA-256 checksum. Format: docs/grants.md, "Archive
export"; decision: docs/adr/0013-grant-archive-export.md.

Per case (an application that reached the office): the application (incoming), the decision letter
(outgoing, PDF/UA) and every submitted report (incoming). A document the office has not cleared for
publication carries the access code ``P`` (may hold personal data; the archivist checks it before the
journal entry is made public). Reading only: nothing is written, so nothing is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from django.utils import timezone

from kommunedialog.grants import letter
from kommunedialog.grants.models import Application, Call, Decision, Report
from kommunedialog.grants.states import ApplicationState, ReportState

NAMESPACE = "https://kommunedialog.no/xmlns/prosjektskjonn-arkiv/1"
EXEMPT_CODE = "P"
EXEMPT_BASIS = "Offl. § 13 jf. fvl. § 13 første ledd nr. 1"
# Cases the office received: everything but drafts.
RECEIVED = [s for s in ApplicationState.values if s != ApplicationState.DRAFT]


@dataclass
class Registration:
    """One journal entry (journalpost) and its one document."""

    kind: str  # "I" incoming, "U" outgoing (Noark journalposttype)
    title: str
    document_date: dt.date
    sender: str
    recipient: str
    filename: str
    content: bytes
    format: str
    exempt: bool
    case_officer: str = ""
    note: str = ""


@dataclass
class Case:
    reference: str
    title: str
    opened: dt.date
    registrations: list[Registration] = field(default_factory=list)


def letters_missing(call: Call) -> list[int]:
    """The decisions in ``call`` whose letter is not rendered yet (the export waits for the worker)."""
    decisions = Decision.objects.filter(application__call=call).select_related("application__call__office")
    return [d.pk for d in decisions if not letter.cache_path(d).exists()]


def _date(value: dt.datetime | None) -> dt.date:
    return timezone.localtime(value).date() if value else timezone.localdate()


def _folder(reference: str) -> str:
    return "dokumenter/" + reference.replace("/", "-")


def _application_text(a: Application) -> bytes:
    budget = a.budget()
    lines = [
        a.display_title,
        "",
        f"Søkjar / søker: {a.municipality.name_norwegian}",
        f"Partnarar / partnere: {', '.join(p.name_norwegian for p in a.partners.all()) or '–'}",
        f"Kontaktperson: {a.contact_name} <{a.contact_email}> {a.contact_phone}".rstrip(),
        f"Kommunedirektør: {a.chief_executive_name}",
        f"Periode: {a.period_start} – {a.period_end}",
        f"Samla kostnad: {budget.total_cost} kr; eigendel: {a.own_share} kr; anna finansiering: "
        f"{a.other_funding} kr; søkt: {a.amount_applied} kr",
        "",
        "Samandrag:",
        a.summary,
        "",
        "Utfordringar:",
        a.challenges,
        "",
        "Mål:",
        a.goals,
        "",
        "Verkemiddel:",
        a.instruments,
    ]
    return ("\n".join(lines) + "\n").encode()


def _report_text(r: Report) -> bytes:
    lines = [
        f"{r.get_kind_display()}: {r.project.application.display_title}",
        "",
        f"Pengar brukte / penger brukt: {r.money_spent} kr (tilskot: {r.project.amount_awarded} kr)",
        "",
        "Kva vart gjort:",
        r.what_was_done,
        "",
        "Resultat:",
        r.results,
        "",
        "Lærdom:",
        r.lessons_learned,
    ]
    if r.spending_explanation:
        lines += ["", "Forklaring på forbruket:", r.spending_explanation]
    return ("\n".join(lines) + "\n").encode()


def cases(call: Call) -> list[Case]:
    office = call.office.name
    found = []
    applications = (
        call.applications.filter(state__in=RECEIVED)
        .exclude(case_reference="")
        .select_related("municipality", "decision", "project")
        .prefetch_related("partners", "cost_lines")
        .order_by("pk")
    )
    for a in applications:
        case = Case(reference=a.case_reference, title=a.display_title, opened=_date(a.submitted_at))
        folder = _folder(a.case_reference)
        case.registrations.append(
            Registration(
                "I",
                f"Søknad om prosjektskjønn: {a.display_title}",
                _date(a.submitted_at),
                a.municipality.name_norwegian,
                office,
                f"{folder}/soknad.txt",
                _application_text(a),
                "TXT (UTF-8)",
                exempt=not a.publish,
            )
        )
        decision = getattr(a, "decision", None)
        if decision is not None:
            case.registrations.append(
                Registration(
                    "U",
                    f"Vedtak om prosjektskjønn: {a.display_title}",
                    _date(decision.decided_at),
                    office,
                    a.municipality.name_norwegian,
                    f"{folder}/vedtak.pdf",
                    letter.cached_pdf(decision).read_bytes(),
                    "PDF/UA-1",
                    exempt=False,
                    case_officer=decision.case_officer_name,
                    note=f"{decision.outcome}; {decision.amount} NOK",
                )
            )
            project = getattr(a, "project", None)
            reports = project.reports.exclude(submitted_at=None).order_by("due_on", "pk") if project else []
            for r in reports:
                case.registrations.append(
                    Registration(
                        "I",
                        f"{r.get_kind_display()}: {a.display_title}",
                        _date(r.submitted_at),
                        a.municipality.name_norwegian,
                        office,
                        f"{folder}/rapport-{r.kind}-{r.pk}.txt",
                        _report_text(r),
                        "TXT (UTF-8)",
                        exempt=r.state != ReportState.PUBLISHED,
                    )
                )
        found.append(case)
    return found


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = str(text)
    return element


def _registration(parent: ET.Element, number: int, reg: Registration) -> None:
    post = _sub(parent, "registrering", None)
    post.set("type", "journalpost")
    _sub(post, "journalpostnummer", number)
    _sub(post, "journalposttype", reg.kind)
    _sub(post, "tittel", reg.title)
    _sub(post, "dokumentetsDato", reg.document_date.isoformat())
    _sub(post, "journaldato", reg.document_date.isoformat())
    for role, name in (("avsender", reg.sender), ("mottaker", reg.recipient)):
        part = _sub(post, "korrespondansepart")
        _sub(part, "korrespondanseparttype", role)
        _sub(part, "korrespondansepartNavn", name)
    if reg.case_officer:
        _sub(post, "saksbehandler", reg.case_officer)
    if reg.exempt:
        screening = _sub(post, "skjerming")
        _sub(screening, "tilgangsrestriksjon", EXEMPT_CODE)
        _sub(screening, "skjermingshjemmel", EXEMPT_BASIS)
    if reg.note:
        _sub(post, "merknad", reg.note)
    description = _sub(post, "dokumentbeskrivelse")
    _sub(description, "tilknyttetRegistreringSom", "Hoveddokument")
    _sub(description, "tittel", reg.title)
    document = _sub(description, "dokumentobjekt")
    _sub(document, "format", reg.format)
    _sub(document, "referanseDokumentfil", reg.filename)
    _sub(document, "sjekksum", hashlib.sha256(reg.content).hexdigest())
    _sub(document, "sjekksumAlgoritme", "SHA-256")
    _sub(document, "filstoerrelse", len(reg.content))


def structure(call: Call, found: list[Case]) -> bytes:
    root = ET.Element("arkiv", {"xmlns": NAMESPACE})
    _sub(root, "tittel", f"Prosjektskjønn – {call.office.name}")
    _sub(root, "arkivskaper", call.office.name)
    _sub(root, "eksportertTidspunkt", timezone.now().isoformat(timespec="seconds"))
    part = _sub(root, "arkivdel")
    _sub(part, "tittel", f"{call.title_nb} ({call.year})")
    for case in found:
        folder = _sub(part, "mappe")
        folder.set("type", "saksmappe")
        year, _slash, sequence = case.reference.partition("/")
        _sub(folder, "mappeID", case.reference)
        _sub(folder, "saksaar", year)
        _sub(folder, "sakssekvensnummer", sequence)
        _sub(folder, "tittel", case.title)
        _sub(folder, "saksdato", case.opened.isoformat())
        _sub(folder, "administrativEnhet", call.office.name)
        for number, reg in enumerate(case.registrations, start=1):
            _registration(folder, number, reg)
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def export(call: Call) -> bytes:
    """The ZIP: ``arkivstruktur.xml`` first, then every document it names."""
    found = cases(call)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("arkivstruktur.xml", structure(call, found))
        for case in found:
            for reg in case.registrations:
                archive.writestr(reg.filename, reg.content)
    return buffer.getvalue()
