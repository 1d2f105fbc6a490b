from kommunedialog.core.policy import EVERYONE, Access

POLICY = {
    "openapi": Access(get=EVERYONE),
    # django-ninja's root URL; with the interactive docs switched off it is a 404 for everyone.
    "api:api-root": Access(denied_status=frozenset({404})),
    "api:list_municipalities": Access(get=EVERYONE),
    "api:get_municipality": Access(get=EVERYONE, kwargs=lambda s: [{"number": "1133"}, {"number": "1507"}]),
}
