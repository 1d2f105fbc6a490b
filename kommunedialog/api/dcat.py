"""The open data catalogue (``api.catalog``) as DCAT-AP-NO RDF, for data.norge.no to harvest.

Built with rdflib so that escaping and datatypes are right. Property choices follow DCAT-AP-NO's SHACL
shapes (Digdir's Informasjonsforvaltning/dcat-ap-no, shacl/dcatapno3-*.ttl); docs/opendata.md lists
them. Controlled values come from the vocabularies those shapes name: EU data themes, licences,
file types, languages, countries and access rights; media types from IANA.

Resources are named by fragment URIs in the Turtle document itself, so each name can be looked up.

The graph conforms to the SHACL shapes Digdir's DCAT-AP-NO validator uses (tests/api/test_catalog_shacl.py,
with ../shared/data/specs/digdir-dcat-ap-no-shacl_shapes_2.00.ttl). Those shapes ask for the class of every
value (a theme is a ``skos:Concept``, a licence a ``dct:LicenseDocument``, a page a ``foaf:Document``); the
validator finds the classes of the EU vocabulary terms by loading the vocabularies, so the graph states
them itself (``typed``) and the check is complete offline.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD
from rdflib.term import Node

from kommunedialog.api import catalog
from kommunedialog.api.catalog import DatasetNow, Distribution, Source, Texts

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
LICENCE = Namespace(EU + "licence/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
COUNTRY = Namespace(EU + "country/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
PLANNED_AVAILABILITY = Namespace(EU + "planned-availability/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# data.norge.no's organisation catalogue: the publisher URI it expects, keyed by organisation number.
ORGANISATION_CATALOGUE = "https://organization-catalog.fellesdatakatalog.digdir.no/organizations/"

LANGUAGE_CODES = {"nb": "NOB", "nn": "NNO", "en": "ENG"}
# The EU data themes' labels as the vocabulary gives them (the shapes ask a skos:Concept for one).
THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
NORWAY = COUNTRY.NOR
THEMES = URIRef(EU + "data-theme")


class _Builder:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.document = base_url + reverse("api:catalog_turtle")
        self.page = base_url + reverse("publicsite:open_data_show")
        self.graph = Graph()
        for prefix, namespace in {
            "dcat": DCAT,
            "dct": DCTERMS,
            "foaf": FOAF,
            "vcard": VCARD,
            "xsd": XSD,
            "dcatap": DCATAP,
        }.items():
            self.graph.bind(prefix, namespace)

    def uri(self, fragment: str) -> URIRef:
        return URIRef(f"{self.document}#{fragment}")

    def absolute(self, path: str) -> URIRef:
        return URIRef(self.base_url + path)

    def add(self, subject: Node, predicate: URIRef, value: Node, typed: URIRef | None = None) -> None:
        """One statement; ``typed``: the class the value belongs to, stated beside it."""
        self.graph.add((subject, predicate, value))
        if typed is not None:
            self.graph.add((value, RDF.type, typed))

    def web_page(self, subject: Node, predicate: URIRef, url: str) -> None:
        self.add(subject, predicate, URIRef(url), FOAF.Document)

    def licence(self, subject: Node, code: str) -> None:
        self.add(subject, DCTERMS.license, LICENCE[code], DCTERMS.LicenseDocument)

    def public(self, subject: Node) -> None:
        self.add(subject, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement)

    def norway(self, subject: Node) -> None:
        self.add(subject, DCTERMS.spatial, NORWAY, DCTERMS.Location)

    def language(self, subject: Node, language: str) -> None:
        self.add(subject, DCTERMS.language, LANGUAGE[LANGUAGE_CODES[language]], DCTERMS.LinguisticSystem)

    def theme(self, subject: Node, code: str) -> None:
        self.add(subject, DCAT.theme, DATA_THEME[code], SKOS.Concept)
        self.add(DATA_THEME[code], SKOS.prefLabel, Literal(THEME_LABELS[code], lang="en"))
        self.add(DATA_THEME[code], SKOS.inScheme, THEMES, SKOS.ConceptScheme)
        self.add(THEMES, DCTERMS.title, Literal("Data theme", lang="en"))

    def standard(self, subject: Node, url: str) -> None:
        self.add(subject, DCTERMS.conformsTo, URIRef(url), DCTERMS.Standard)
        self.add(URIRef(url), DCTERMS.title, Literal(catalog.STANDARD_TITLES[url], lang="en"))

    def file_type(self, subject: Node, code: str) -> None:
        self.add(subject, DCTERMS["format"], FILE_TYPE[code], DCTERMS.MediaType)

    def texts(self, subject: Node, predicate: URIRef, texts: Texts) -> None:
        for language, text in texts.items():
            self.add(subject, predicate, Literal(text, lang=language))

    def moment(self, subject: Node, predicate: URIRef, value: dt.datetime) -> None:
        self.add(subject, predicate, Literal(timezone.localtime(value).replace(microsecond=0), datatype=XSD.dateTime))

    def publisher(self) -> URIRef:
        found = catalog.publisher()
        if found.organisation_number:
            node = URIRef(ORGANISATION_CATALOGUE + found.organisation_number)
            self.add(node, DCTERMS.identifier, Literal(found.organisation_number))
        else:
            node = self.uri("publisher")
        self.add(node, RDF.type, FOAF.Agent)
        self.add(node, FOAF.name, Literal(found.name, lang="nb"))
        return node

    def contact_point(self) -> URIRef:
        node = self.uri("contact")
        self.add(node, RDF.type, VCARD.Organization)
        self.add(node, RDF.type, VCARD.Kind)  # vcard:Organization is one; said outright for the shapes
        self.add(node, VCARD.fn, Literal(catalog.publisher().name, lang="nb"))
        if email := catalog.contact_email():
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{email}"))
        self.add(node, VCARD.hasURL, URIRef(self.page))
        return node

    def service(self, publisher: URIRef, contact: URIRef, datasets: list[URIRef]) -> URIRef:
        node = self.uri("api")
        self.add(node, RDF.type, DCAT.DataService)
        self.add(node, DCTERMS.identifier, Literal(str(node)))
        self.texts(node, DCTERMS.title, catalog.API_TITLE)
        self.add(node, DCAT.endpointURL, self.absolute(reverse("api:index")))
        self.add(node, DCAT.endpointDescription, self.absolute(reverse("openapi")))
        self.add(node, DCTERMS.publisher, publisher)
        self.add(node, DCAT.contactPoint, contact)
        self.licence(node, catalog.CC_BY_4_0.code)
        self.public(node)
        self.file_type(node, catalog.JSON.file_type)
        self.web_page(node, DCAT.landingPage, self.page)
        for dataset in datasets:
            self.add(node, DCAT.servesDataset, dataset)
        return node

    def distribution(self, item: Distribution, licence: str, service: URIRef) -> URIRef:
        node = self.uri(item.key)
        self.add(node, RDF.type, DCAT.Distribution)
        self.texts(node, DCTERMS.title, item.title)
        self.texts(node, DCTERMS.description, item.description)
        if item.params:
            # An address with a municipality number in it: the API description says how to fill it in.
            self.add(node, DCAT.accessURL, self.absolute(reverse("openapi")))
        else:
            self.add(node, DCAT.accessURL, self.absolute(item.path))
        if item.downloadable:
            self.add(node, DCAT.downloadURL, self.absolute(item.path))
        self.add(node, DCAT.accessService, service)
        self.file_type(node, item.format.file_type)
        self.add(node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + item.format.media_type), DCTERMS.MediaType)
        self.licence(node, licence)
        self.add(node, DCATAP.availability, PLANNED_AVAILABILITY.STABLE, SKOS.Concept)
        self.add(PLANNED_AVAILABILITY.STABLE, SKOS.prefLabel, Literal("stable", lang="en"))
        self.web_page(node, FOAF.page, self.base_url + reverse("openapi"))
        if item.conforms_to:
            self.standard(node, item.conforms_to)
        return node

    def source(self, source: Source) -> URIRef:
        """The publisher's dataset the figures come from, described as DCAT-AP-NO asks of any dataset."""
        node = URIRef(source.url)
        self.add(node, RDF.type, DCAT.Dataset)
        self.add(node, DCTERMS.identifier, Literal(source.url))
        self.texts(node, DCTERMS.title, source.title)
        self.texts(node, DCTERMS.description, source.description)
        publisher = URIRef(ORGANISATION_CATALOGUE + catalog.SSB_ORGANISATION_NUMBER)
        self.add(node, DCTERMS.publisher, publisher, FOAF.Agent)
        self.add(publisher, DCTERMS.identifier, Literal(catalog.SSB_ORGANISATION_NUMBER))
        self.texts(publisher, FOAF.name, source.name)
        for theme in source.themes:
            self.theme(node, theme)
        self.web_page(node, DCAT.landingPage, source.url)
        self.norway(node)
        self.public(node)
        return node

    def dataset(self, found: DatasetNow, publisher: URIRef, contact: URIRef, service: URIRef) -> URIRef:
        dataset, facts = found.dataset, found.facts
        node = self.uri(dataset.key)
        self.add(node, RDF.type, DCAT.Dataset)
        self.add(node, DCTERMS.identifier, Literal(str(node)))
        self.texts(node, DCTERMS.title, dataset.title)
        self.texts(node, DCTERMS.description, dataset.description)
        self.add(node, DCTERMS.publisher, publisher)
        self.add(node, DCAT.contactPoint, contact)
        for theme in dataset.themes:
            self.theme(node, theme)
        for keyword in dataset.keywords:
            self.texts(node, DCAT.keyword, keyword)
        self.norway(node)
        self.public(node)
        for language in dataset.languages:
            self.language(node, language)
        self.web_page(node, DCAT.landingPage, f"{self.page}#{dataset.key}")
        if dataset.source is not None:
            self.add(node, DCTERMS.source, self.source(dataset.source))
        if facts.modified is not None:
            self.moment(node, DCTERMS.modified, facts.modified)
        if facts.period is not None:
            period = BNode()
            self.add(node, DCTERMS.temporal, period)
            self.add(period, RDF.type, DCTERMS.PeriodOfTime)
            self.add(period, DCAT.startDate, Literal(facts.period[0], datatype=XSD.date))
            self.add(period, DCAT.endDate, Literal(facts.period[1], datatype=XSD.date))
        for item in dataset.distributions:
            self.add(node, DCAT.distribution, self.distribution(item, dataset.licence.code, service))
        return node


def catalogue_graph(*, base_url: str) -> Graph:
    """The whole catalogue: one dcat:Catalog, its datasets and distributions, and the API serving them."""
    build = _Builder(base_url)
    found = catalog.datasets_now()
    publisher = build.publisher()
    contact = build.contact_point()
    node = build.uri("catalogue")
    build.add(node, RDF.type, DCAT.Catalog)
    build.add(node, DCTERMS.identifier, Literal(str(node)))
    build.texts(node, DCTERMS.title, catalog.CATALOGUE_TITLE)
    build.texts(node, DCTERMS.description, catalog.CATALOGUE_DESCRIPTION)
    build.add(node, DCTERMS.publisher, publisher)
    build.add(node, DCAT.contactPoint, contact)
    build.web_page(node, FOAF.homepage, build.page)
    build.licence(node, catalog.CC_BY_4_0.code)
    build.norway(node)
    build.add(node, DCAT.themeTaxonomy, THEMES, SKOS.ConceptScheme)
    build.add(THEMES, DCTERMS.title, Literal("Data theme", lang="en"))
    for language in catalog.LANGUAGES:
        build.language(node, language)
    if (modified := catalog.catalogue_modified(found)) is not None:
        build.moment(node, DCTERMS.modified, modified)
    dataset_uris = [build.uri(d.dataset.key) for d in found]
    service = build.service(publisher, contact, dataset_uris)
    build.add(node, DCAT.service, service)
    for item in found:
        build.add(node, DCAT.dataset, build.dataset(item, publisher, contact, service))
    return build.graph
