from kommunedialog.core.policy import EVERYONE, Access

POLICY = {
    "openapi": Access(get=EVERYONE),
    # The API's front door (a JSON list of links); django-ninja's own root name reaches the same address.
    "api:index": Access(get=EVERYONE),
    "api:api-root": Access(get=EVERYONE),
    "api:list_municipalities": Access(get=EVERYONE),
    # The DCAT-AP-NO catalogue that data.norge.no harvests.
    "api:catalog_turtle": Access(get=EVERYONE),
    "api:catalog_jsonld": Access(get=EVERYONE),
    "api:get_municipality": Access(get=EVERYONE, kwargs=lambda s: [{"number": "1133"}, {"number": "1507"}]),
    "api:list_kommunebilder": Access(get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}),
    "api:get_kommunebilde": Access(
        get=EVERYONE,
        kwargs=lambda s: {"number": s["own_municipality"].number, "snapshot_id": s["published_snapshot"].pk},
    ),
}
