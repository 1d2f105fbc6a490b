"""The DCAT-AP-NO catalogue checked with pyshacl against the SHACL shapes Digdir's validator uses
(../shared/data/specs/digdir-dcat-ap-no-shacl_shapes_2.00.ttl), offline: the EU vocabulary terms the
catalogue uses carry their classes in the graph itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef

pytestmark = pytest.mark.django_db

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")

BASE = "https://kommunedialog.example.no"
DOC = f"{BASE}/api/v1/catalog.ttl"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(Path(settings.SHARED_DATA_DIR) / "specs" / "digdir-dcat-ap-no-shacl_shapes_2.00.ttl")


@pytest.fixture(autouse=True)
def public_address(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = BASE


def fetch(client) -> Graph:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/catalog.ttl")
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format="turtle")


def violations(graph: Graph, shapes: Graph) -> list[tuple[str, str, str]]:
    conforms, results, _ = validate(graph, shacl_graph=shapes, inference="none", advanced=True)
    found = sorted(
        (
            str(results.value(r, SH.focusNode)),
            str(results.value(r, SH.resultPath)),
            str(results.value(r, SH.resultMessage)),
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    )
    assert conforms == (found == [])
    return found


@pytest.mark.parametrize(("orgnr", "email"), [("", ""), ("974764687", "postmottak@example.no")])
def test_the_catalogue_conforms_to_the_shapes_of_the_national_validator(client, settings, shapes, orgnr, email):
    settings.OPEN_DATA_PUBLISHER_ORGNR = orgnr
    settings.OPEN_DATA_CONTACT_EMAIL = email
    assert violations(fetch(client), shapes) == []


def test_the_check_finds_what_the_validator_refused_before(client, shapes):
    """The shapes do bite offline: without the fixes of issue 19 the catalogue fails on its own nodes."""
    graph = fetch(client)
    catalogue = URIRef(f"{DOC}#catalogue")
    graph.remove((catalogue, DCTERMS.identifier, None))
    graph.remove((URIRef(f"{BASE}/apne-data/"), RDF.type, FOAF.Document))
    graph.remove((URIRef("https://json-stat.org/format/"), RDF.type, DCTERMS.Standard))
    found = {(node, path) for node, path, _ in violations(graph, shapes)}
    assert found == {
        (str(catalogue), str(DCTERMS.identifier)),
        (str(catalogue), str(FOAF.homepage)),
        *((f"{DOC}#statistikk-{what}-json-stat", str(DCTERMS.conformsTo)) for what in ("indikator", "kommune")),
    }


def test_every_download_is_a_distribution_of_the_statistics(client):
    graph = fetch(client)
    statistics = URIRef(f"{DOC}#statistikk")
    downloads = {
        f"{DOC}#statistikk-{what}-{fmt}": fmt
        for what in ("indikator", "kommune")
        for fmt in ("csv", "xlsx", "json-stat")
    }
    assert {str(d) for d in graph.objects(statistics, DCAT.distribution)} >= set(downloads)
    media = {
        "csv": ("CSV", "text/csv", "https://www.rfc-editor.org/rfc/rfc4180"),
        "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
        "json-stat": ("JSON", "application/json", "https://json-stat.org/format/"),
    }
    for uri, fmt in downloads.items():
        node = URIRef(uri)
        file_type, media_type, standard = media[fmt]
        assert graph.value(node, DCTERMS["format"]) == URIRef(f"{EU}file-type/{file_type}")
        assert graph.value(node, DCAT.mediaType) == URIRef(IANA + media_type)
        assert graph.value(node, DCTERMS.conformsTo) == (URIRef(standard) if standard else None)
        # A path with a number or key in it is reached through the API description, which says how to fill it in.
        assert graph.value(node, DCAT.accessURL) == URIRef(f"{BASE}/api/v1/openapi.json")
        assert graph.value(node, DCAT.downloadURL) is None
    assert graph.value(URIRef(f"{DOC}#statistikk-indikator-csv"), DCTERMS.title, any=True) is not None
    assert (
        URIRef(f"{DOC}#statistikk-kommune-xlsx"),
        DCTERMS.title,
        Literal("Download (Excel (XLSX))", lang="en"),
    ) in graph


def test_the_source_is_ssbs_dataset_with_ssb_as_its_publisher(client):
    graph = fetch(client)
    source = graph.value(URIRef(f"{DOC}#statistikk"), DCTERMS.source)
    assert source == URIRef("https://www.ssb.no/statbank")
    assert (source, RDF.type, DCAT.Dataset) in graph
    ssb = graph.value(source, DCTERMS.publisher)
    assert ssb == URIRef("https://organization-catalog.fellesdatakatalog.digdir.no/organizations/971526920")
    assert graph.value(ssb, FOAF.name, any=True) is not None
