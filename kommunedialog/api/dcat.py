"""The open data catalogue (``api.catalog``) as DCAT-AP-NO RDF, for data.norge.no to harvest.

Built with rdflib so that escaping and datatypes are right. Property choices follow DCAT-AP-NO's SHACL
shapes (Digdir's Informasjonsforvaltning/dcat-ap-no, shacl/dcatapno3-*.ttl); docs/opendata.md lists
them. Controlled values come from the vocabularies those shapes name: EU data themes, licences,
file types, languages, countries and access rights; media types from IANA.

Resources are named by fragment URIs in the Turtle document itself, so each name can be looked up.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from rdflib.term import Node

from kommunedialog.api import catalog
from kommunedialog.api.catalog import DatasetNow, Distribution, Texts

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
NORWAY = COUNTRY.NOR


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

    def add(self, subject: Node, predicate: URIRef, value: Node) -> None:
        self.graph.add((subject, predicate, value))

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
        self.add(node, VCARD.fn, Literal(catalog.publisher().name, lang="nb"))
        if email := catalog.contact_email():
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{email}"))
        self.add(node, VCARD.hasURL, URIRef(self.page))
        return node

    def service(self, publisher: URIRef, contact: URIRef, datasets: list[URIRef]) -> URIRef:
        node = self.uri("api")
        self.add(node, RDF.type, DCAT.DataService)
        self.texts(node, DCTERMS.title, catalog.API_TITLE)
        self.add(node, DCAT.endpointURL, self.absolute(reverse("api:index")))
        self.add(node, DCAT.endpointDescription, self.absolute(reverse("openapi")))
        self.add(node, DCTERMS.publisher, publisher)
        self.add(node, DCAT.contactPoint, contact)
        self.add(node, DCTERMS.license, LICENCE[catalog.CC_BY_4_0.code])
        self.add(node, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC)
        self.add(node, DCTERMS["format"], FILE_TYPE[catalog.JSON.file_type])
        self.add(node, DCAT.landingPage, URIRef(self.page))
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
        self.add(node, DCTERMS["format"], FILE_TYPE[item.format.file_type])
        self.add(node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + item.format.media_type))
        self.add(node, DCTERMS.license, LICENCE[licence])
        self.add(node, DCATAP.availability, PLANNED_AVAILABILITY.STABLE)
        self.add(node, FOAF.page, self.absolute(reverse("openapi")))
        if item.conforms_to:
            self.add(node, DCTERMS.conformsTo, URIRef(item.conforms_to))
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
            self.add(node, DCAT.theme, DATA_THEME[theme])
        for keyword in dataset.keywords:
            self.texts(node, DCAT.keyword, keyword)
        self.add(node, DCTERMS.spatial, NORWAY)
        self.add(node, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC)
        for language in dataset.languages:
            self.add(node, DCTERMS.language, LANGUAGE[LANGUAGE_CODES[language]])
        self.add(node, DCAT.landingPage, URIRef(f"{self.page}#{dataset.key}"))
        if dataset.source is not None:
            self.add(node, DCTERMS.source, URIRef(dataset.source.url))
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
    build.texts(node, DCTERMS.title, catalog.CATALOGUE_TITLE)
    build.texts(node, DCTERMS.description, catalog.CATALOGUE_DESCRIPTION)
    build.add(node, DCTERMS.publisher, publisher)
    build.add(node, DCAT.contactPoint, contact)
    build.add(node, FOAF.homepage, URIRef(build.page))
    build.add(node, DCTERMS.license, LICENCE[catalog.CC_BY_4_0.code])
    build.add(node, DCTERMS.spatial, NORWAY)
    build.add(node, DCAT.themeTaxonomy, URIRef(EU + "data-theme"))
    for language in catalog.LANGUAGES:
        build.add(node, DCTERMS.language, LANGUAGE[LANGUAGE_CODES[language]])
    if (modified := catalog.catalogue_modified(found)) is not None:
        build.moment(node, DCTERMS.modified, modified)
    dataset_uris = [build.uri(d.dataset.key) for d in found]
    service = build.service(publisher, contact, dataset_uris)
    build.add(node, DCAT.service, service)
    for item in found:
        build.add(node, DCAT.dataset, build.dataset(item, publisher, contact, service))
    return build.graph
