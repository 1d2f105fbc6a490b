"""The archive export (issue 15, item 5): a call's cases as a ZIP with arkivstruktur.xml modelled on
Noark 5 (case reference, document dates, sender and recipient, title, access code where exempt) and the
documents it names, each with a checksum that matches."""

from __future__ import annotations

import hashlib
import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from kommunedialog.grants import archive, services
from tests.factories import write_report

pytestmark = pytest.mark.django_db

NS = {"a": archive.NAMESPACE}


def test_the_export_holds_every_case_with_its_metadata_and_documents(application_in, people, tmp_path):
    submitted = application_in("submitted")
    application_in("draft")  # never reached the office: not in the archive
    approved = application_in("approved")
    services.application_set_publication(application=approved, actor=people["staff"], publish=True)
    final = write_report(approved.project.reports.get(kind="final"), people["applicant"])
    services.report_submit(report=final, actor=people["applicant"])

    path = tmp_path / "arkiv.zip"
    call_command("export_grant_archive", str(approved.call_id), str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        root = ET.fromstring(z.read("arkivstruktur.xml"))  # noqa: S314 (the file this test just wrote)
        files = {n: z.read(n) for n in names}
    folders = root.findall("a:arkivdel/a:mappe", NS)
    approved.refresh_from_db()
    submitted.refresh_from_db()
    assert [f.findtext("a:mappeID", namespaces=NS) for f in folders] == [
        submitted.case_reference,
        approved.case_reference,
    ]
    posts = folders[1].findall("a:registrering", NS)
    summary = [
        (
            p.findtext("a:journalposttype", namespaces=NS),
            p.findtext("a:tittel", namespaces=NS),
            [k.findtext("a:korrespondansepartNavn", namespaces=NS) for k in p.findall("a:korrespondansepart", NS)],
            p.findtext("a:skjerming/a:tilgangsrestriksjon", namespaces=NS),
        )
        for p in posts
    ]
    office = approved.call.office.name
    assert summary == [
        ("I", f"Søknad om prosjektskjønn: {approved.title}", ["Hjelmeland", office], None),
        ("U", f"Vedtak om prosjektskjønn: {approved.title}", [office, "Hjelmeland"], None),
        ("I", f"Final report: {approved.title}", ["Hjelmeland", office], "P"),  # not published yet
    ]
    letter = posts[1]
    assert letter.findtext("a:dokumentetsDato", namespaces=NS) == approved.decision.decided_at.date().isoformat()
    assert letter.findtext("a:saksbehandler", namespaces=NS) == people["staff"].get_full_name()
    for post in posts:
        document = post.find("a:dokumentbeskrivelse/a:dokumentobjekt", NS)
        content = files[document.findtext("a:referanseDokumentfil", namespaces=NS)]
        assert hashlib.sha256(content).hexdigest() == document.findtext("a:sjekksum", namespaces=NS)
    assert files[letter.find("a:dokumentbeskrivelse/a:dokumentobjekt/a:referanseDokumentfil", NS).text][:5] == (
        b"%PDF-"
    )
    # The unchecked application is marked exempt.
    first_of_second = folders[0].find("a:registrering", NS)
    assert first_of_second.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS) == archive.EXEMPT_BASIS


def test_the_coordinator_downloads_the_export_from_the_call_page(application_in, people):
    from django.test import Client

    approved = application_in("approved")
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["coordinator"])
    page = client.get(f"/skjonn/utlysning/{approved.call_id}/").content.decode()
    assert f'href="/skjonn/utlysning/{approved.call_id}/arkiv.zip"' in page
    response = client.get(f"/skjonn/utlysning/{approved.call_id}/arkiv.zip")
    assert (response.status_code, response["Content-Type"]) == (200, "application/zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert z.namelist()[0] == "arkivstruktur.xml"
    staff = Client()
    staff.force_login(people["staff"])
    assert staff.get(f"/skjonn/utlysning/{approved.call_id}/arkiv.zip").status_code == 404
