"""The DCAT-AP-NO catalogue at /api/v1/catalog.ttl: parsed back with rdflib and checked against the
properties DCAT-AP-NO makes mandatory, with the dates read from the database."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kommunedialog.api import catalog
from kommunedialog.api.dcat import ORGANISATION_CATALOGUE
from kommunedialog.grants import opendata
from kommunedialog.grants import services as grant_services
from kommunedialog.profiles import services as profile_services
from kommunedialog.profiles.models import Assessment, Profile
from kommunedialog.profiles.states import State
from tests.core.test_settings import load_settings
from tests.factories import UserFactory
from tests.policy_walk import policy_modules
from tests.scenario import make_scenario

pytestmark = pytest.mark.django_db

# Plain namespaces: rdflib's closed ones warn when pytest looks at this module's attributes.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

BASE = "https://kommunedialog.example.no"
DOC = f"{BASE}/api/v1/catalog.ttl"
EU = "http://publications.europa.eu/resource/authority/"
CC_BY_4_0 = URIRef(EU + "licence/CC_BY_4_0")
DATASETS = {URIRef(f"{DOC}#{key}") for key in ("kommunebilder", "prosjektskjonn", "statistikk", "kommuneregister")}
# SSB's datasets the statistics and the register come from (dct:source), described as datasets themselves.
SOURCES = {URIRef("https://www.ssb.no/statbank"), URIRef("https://www.ssb.no/klass/")}
# Later than any real clock the suite runs on, so the newest change is the one the test makes.
KOMMUNEBILDE_PUBLISHED = dt.datetime(2031, 3, 2, 9, 30, 15, 654321, tzinfo=dt.UTC)
GRANT_CLEARED = dt.datetime(2031, 4, 7, 22, 5, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.OPEN_DATA_PUBLISHER_ORGNR = ""
    settings.OPEN_DATA_CONTACT_EMAIL = ""


def fetch(client: Client) -> Graph:
    response = client.get("/api/v1/catalog.ttl")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
    return Graph().parse(data=response.content.decode(), format="turtle")


def texts(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    values = list(graph.objects(subject, predicate))
    languages = [v.language for v in values if isinstance(v, Literal)]
    assert len(languages) == len(values) == len(set(languages)), f"{subject} {predicate}: one literal per language"
    return {v.language: str(v) for v in values if isinstance(v, Literal) and v.language}


def one(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{subject} {predicate}: {values}"
    return values[0]


def test_the_catalogue_has_the_mandatory_and_recommended_properties(client):
    graph = fetch(client)
    catalogue = URIRef(f"{DOC}#catalogue")
    assert list(graph.subjects(RDF.type, DCAT.Catalog)) == [catalogue]
    assert texts(graph, catalogue, DCTERMS.title) == {
        "nb": "Kommunedialog: åpne data",
        "nn": "Kommunedialog: opne data",
        "en": "Kommunedialog: open data",
    }
    assert set(texts(graph, catalogue, DCTERMS.description)) == {"nb", "nn", "en"}
    publisher = one(graph, catalogue, DCTERMS.publisher)
    assert publisher == URIRef(f"{DOC}#publisher")
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert one(graph, publisher, FOAF.name) == Literal("Statsforvalteren", lang="nb")
    assert list(graph.objects(publisher, DCTERMS.identifier)) == []  # no organisation number configured
    contact = one(graph, catalogue, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert one(graph, contact, VCARD.fn) == Literal("Statsforvalteren", lang="nb")
    assert one(graph, contact, VCARD.hasURL) == URIRef(f"{BASE}/apne-data/")
    assert list(graph.objects(contact, VCARD.hasEmail)) == []
    assert set(graph.objects(catalogue, DCAT.dataset)) == DATASETS
    assert one(graph, catalogue, DCTERMS.license) == CC_BY_4_0
    assert one(graph, catalogue, DCTERMS.spatial) == URIRef(EU + "country/NOR")
    assert one(graph, catalogue, FOAF.homepage) == URIRef(f"{BASE}/apne-data/")
    assert set(graph.objects(catalogue, DCTERMS.language)) == {
        URIRef(EU + f"language/{c}") for c in ("NOB", "NNO", "ENG")
    }
    service = one(graph, catalogue, DCAT.service)
    assert one(graph, service, DCAT.endpointURL) == URIRef(f"{BASE}/api/v1/")
    assert one(graph, service, DCAT.endpointDescription) == URIRef(f"{BASE}/api/v1/openapi.json")
    assert set(graph.objects(service, DCAT.servesDataset)) == DATASETS


def test_every_dataset_has_the_mandatory_properties(client):
    graph = fetch(client)
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == DATASETS | SOURCES
    for dataset in DATASETS:
        assert set(texts(graph, dataset, DCTERMS.title)) == {"nb", "nn", "en"}, dataset
        assert set(texts(graph, dataset, DCTERMS.description)) == {"nb", "nn", "en"}, dataset
        assert one(graph, dataset, DCTERMS.publisher) == URIRef(f"{DOC}#publisher")
        assert one(graph, dataset, DCAT.contactPoint) == URIRef(f"{DOC}#contact")
        assert one(graph, dataset, DCTERMS.identifier) == Literal(str(dataset))
        themes = set(graph.objects(dataset, DCAT.theme))
        assert themes, dataset
        assert themes <= {URIRef(f"{EU}data-theme/{code}") for code in catalog.DATA_THEMES}, dataset
        assert one(graph, dataset, DCTERMS.spatial) == URIRef(EU + "country/NOR")
        assert one(graph, dataset, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        assert {k.language for k in graph.objects(dataset, DCAT.keyword)} == {"nb", "nn", "en"}
        assert list(graph.objects(dataset, DCAT.distribution)), dataset
    grants = URIRef(f"{DOC}#prosjektskjonn")
    assert texts(graph, grants, DCTERMS.title) == {
        "nb": "Innvilgede prosjektskjønnsmidler",
        "nn": "Innvilga prosjektskjønsmidlar",
        "en": "Awarded discretionary grants (prosjektskjønn)",
    }
    assert set(graph.objects(grants, DCAT.theme)) == {URIRef(f"{EU}data-theme/{c}") for c in ("GOVE", "ECON", "REGI")}
    assert one(graph, grants, DCAT.landingPage) == URIRef(f"{BASE}/apne-data/#prosjektskjonn")
    assert one(graph, URIRef(f"{DOC}#statistikk"), DCTERMS.source) == URIRef("https://www.ssb.no/statbank")


def test_every_distribution_has_an_access_url_that_answers(client):
    graph = fetch(client)
    distributions = {d for dataset in DATASETS for d in graph.objects(dataset, DCAT.distribution)}
    assert set(graph.subjects(RDF.type, DCAT.Distribution)) == distributions
    assert len(distributions) == 13
    for distribution in distributions:
        assert set(texts(graph, distribution, DCTERMS.title)) == {"nb", "nn", "en"}, distribution
        assert str(one(graph, distribution, DCTERMS["format"])).startswith(EU + "file-type/")
        assert str(one(graph, distribution, DCAT.mediaType)).startswith("https://www.iana.org/assignments/media-types/")
        assert one(graph, distribution, DCTERMS.license) == CC_BY_4_0
        urls = [*graph.objects(distribution, DCAT.accessURL), *graph.objects(distribution, DCAT.downloadURL)]
        assert urls, distribution
        for url in urls:
            assert str(url).startswith(BASE), url
            assert client.get(str(url).removeprefix(BASE)).status_code == 200, url
    csv = URIRef(f"{DOC}#prosjektskjonn-360giving-csv")
    assert one(graph, csv, DCAT.downloadURL) == URIRef(f"{BASE}/api/v1/grants/360giving.csv")
    assert one(graph, csv, DCTERMS["format"]) == URIRef(EU + "file-type/CSV")
    assert one(graph, csv, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert one(graph, csv, DCTERMS.conformsTo) == URIRef("https://standard.threesixtygiving.org/")
    # A paged API is an access point, not a file to download; a per-municipality one is reached through its description.
    grants_api = URIRef(f"{DOC}#prosjektskjonn-api")
    assert (one(graph, grants_api, DCAT.accessURL), list(graph.objects(grants_api, DCAT.downloadURL))) == (
        URIRef(f"{BASE}/api/v1/grants"),
        [],
    )
    per_municipality = URIRef(f"{DOC}#kommunebilder-api")
    assert one(graph, per_municipality, DCAT.accessURL) == URIRef(f"{BASE}/api/v1/openapi.json")


def test_the_service_endpoint_is_the_apis_front_door_and_it_answers(client):
    graph = fetch(client)
    service = URIRef(f"{DOC}#api")
    assert one(graph, service, DCAT.endpointURL) == URIRef(f"{BASE}/api/v1/")
    response = client.get("/api/v1/")
    assert (response.status_code, response.json()) == (
        200,
        {
            "title": "Kommunedialog open data API",
            "version": "1.0.0",
            "licence": "https://creativecommons.org/licenses/by/4.0/",
            "openapi": f"{BASE}/api/v1/openapi.json",
            "catalogue": {"turtle": f"{BASE}/api/v1/catalog.ttl", "json-ld": f"{BASE}/api/v1/catalog.jsonld"},
            "open_data_page": f"{BASE}/apne-data/",
        },
    )
    for link in (response.json()["openapi"], *response.json()["catalogue"].values(), response.json()["open_data_page"]):
        assert client.get(link.removeprefix(BASE)).status_code == 200, link


def test_the_licence_is_the_one_the_grants_export_states():
    grants = next(d for d in catalog.DATASETS if d.key == "prosjektskjonn")
    assert grants.licence.url == opendata.LICENSE


def test_the_definitions_are_consistent():
    keys = [d.key for d in catalog.DATASETS] + [x.key for d in catalog.DATASETS for x in d.distributions]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert {t for d in catalog.DATASETS for t in d.themes} <= catalog.DATA_THEMES
    paths = {x.key: x.path for d in catalog.DATASETS for x in d.distributions}
    assert paths["kommunebilder-api"] == "/api/v1/municipalities/{number}/kommunebilder"
    assert paths["statistikk-kommune-api"] == "/api/v1/municipalities/{number}/indicators"
    assert paths["statistikk-indikator-csv"] == "/api/v1/indicators/{key}/data?format=csv"
    assert paths["statistikk-kommune-json-stat"] == "/api/v1/municipalities/{number}/data?format=json-stat"


def test_nothing_published_means_no_modified_date(client):
    graph = fetch(client)
    for key in ("kommunebilder", "prosjektskjonn"):
        dataset = URIRef(f"{DOC}#{key}")
        assert list(graph.objects(dataset, DCTERMS.modified)) == [], key
        assert list(graph.objects(dataset, DCTERMS.temporal)) == [], key


def publish_kommunebilde(scenario, *, at: dt.datetime) -> None:
    profile = scenario["draft_profile"]
    Assessment.objects.filter(profile=profile).update(rating="good", justification="Test: justification.")
    Profile.objects.filter(pk=profile.pk).update(
        state=State.MEETING_HELD, overall_picture="Test: overall picture.", meeting_held_on=dt.date(2026, 11, 2)
    )
    with mock.patch("django.utils.timezone.now", return_value=at):
        profile_services.profile_publish(profile=profile, actor=UserFactory(role="coordinator", office="rogaland"))


def set_grant_publication(scenario, *, publish: bool, at: dt.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=at):
        grant_services.application_set_publication(
            application=scenario["grant_hidden_application"],
            actor=UserFactory(role="staff", office="rogaland"),
            publish=publish,
        )


def test_modified_dates_come_from_the_database(client):
    scenario = make_scenario()
    publish_kommunebilde(scenario, at=KOMMUNEBILDE_PUBLISHED)
    set_grant_publication(scenario, publish=True, at=GRANT_CLEARED)
    graph = fetch(client)
    # Oslo time, to the second.
    assert one(graph, URIRef(f"{DOC}#kommunebilder"), DCTERMS.modified) == Literal(
        "2031-03-02T10:30:15+01:00", datatype=XSD.dateTime
    )
    grants = URIRef(f"{DOC}#prosjektskjonn")
    assert one(graph, grants, DCTERMS.modified) == Literal("2031-04-08T00:05:00+02:00", datatype=XSD.dateTime)
    assert one(graph, URIRef(f"{DOC}#catalogue"), DCTERMS.modified) == Literal(
        "2031-04-08T00:05:00+02:00", datatype=XSD.dateTime
    )
    # The period covered runs from the first to the last award of a public grant.
    awarded = sorted(
        scenario[name].decision.decided_at for name in ("grant_awarded_application", "grant_hidden_application")
    )
    period = one(graph, grants, DCTERMS.temporal)
    assert (one(graph, period, DCAT.startDate), one(graph, period, DCAT.endDate)) == (
        Literal(timezone.localdate(awarded[0]), datatype=XSD.date),
        Literal(timezone.localdate(awarded[-1]), datatype=XSD.date),
    )


def test_withdrawing_an_awarded_grant_from_publication_changes_the_dataset(client):
    scenario = make_scenario()
    set_grant_publication(scenario, publish=True, at=GRANT_CLEARED)
    withdrawn = GRANT_CLEARED + dt.timedelta(days=3, hours=2)
    set_grant_publication(scenario, publish=False, at=withdrawn)
    graph = fetch(client)
    assert one(graph, URIRef(f"{DOC}#prosjektskjonn"), DCTERMS.modified) == Literal(
        "2031-04-11T02:05:00+02:00", datatype=XSD.dateTime
    )


def test_the_publisher_carries_the_configured_organisation_number_and_contact(client, settings):
    settings.OPEN_DATA_PUBLISHER_NAME = "Testforvaltaren"
    settings.OPEN_DATA_PUBLISHER_ORGNR = "000000000"  # a made-up number: tests never name a real organisation
    settings.OPEN_DATA_CONTACT_EMAIL = "opnedata@example.no"
    graph = fetch(client)
    publisher = URIRef(ORGANISATION_CATALOGUE + "000000000")
    assert publisher == URIRef("https://organization-catalog.fellesdatakatalog.digdir.no/organizations/000000000")
    assert set(graph.subjects(DCTERMS.publisher, publisher)) == {
        URIRef(f"{DOC}#catalogue"),
        URIRef(f"{DOC}#api"),
        *DATASETS,
    }
    assert one(graph, publisher, DCTERMS.identifier) == Literal("000000000")
    assert one(graph, publisher, FOAF.name) == Literal("Testforvaltaren", lang="nb")
    assert one(graph, URIRef(f"{DOC}#contact"), VCARD.hasEmail) == URIRef("mailto:opnedata@example.no")


def test_without_a_public_address_the_request_host_is_used(client, settings):
    settings.PUBLIC_BASE_URL = ""
    graph = fetch(client)
    assert set(graph.subjects(RDF.type, DCAT.Catalog)) == {URIRef("http://testserver/api/v1/catalog.ttl#catalogue")}


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_json_ld_says_the_same_as_turtle(client):
    make_scenario()
    response = client.get("/api/v1/catalog.jsonld")
    assert response.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert isomorphic(Graph().parse(data=response.content.decode(), format="json-ld"), fetch(client))


def test_no_draft_or_personal_data_reaches_the_catalogue(client):
    scenario = make_scenario()
    marker = f"LEAK{uuid.uuid4().hex}"
    seeded = [seed(scenario, marker) for module in policy_modules() for seed in getattr(module, "PRIVATE_SEEDS", [])]
    assert len(seeded) >= 4
    for url in ("/api/v1/catalog.ttl", "/api/v1/catalog.jsonld"):
        body = client.get(url).content.decode()
        assert marker not in body
        assert "Scenario:" not in body  # no record-level text at all, public or not


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"OPEN_DATA_PUBLISHER_ORGNR": "12345678"},
            "OPEN_DATA_PUBLISHER_ORGNR must be a nine-digit organisation number",
        ),
        ({"PUBLIC_BASE_URL": "kommunedialog.example.no"}, "PUBLIC_BASE_URL must be an absolute http(s) address"),
    ],
)
def test_a_malformed_catalogue_setting_refuses_to_start(env, message):
    result = load_settings(**env)
    assert result.returncode == 1
    assert message in result.stderr
