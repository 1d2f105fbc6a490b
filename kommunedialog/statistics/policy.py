from kommunedialog.core.policy import EVERYONE, Access

# Statistics are public facts: the catalogue and every municipality's figures are open to all.
POLICY = {
    "statistics:catalogue": Access(get=EVERYONE),
    # Municipal-structure what-if: public figures only, as a page (GET form) and in the open API.
    "statistics:what_if_show": Access(get=EVERYONE, query={"m": "1133&m=1134"}),
    "api:what_if": Access(get=EVERYONE, query={"municipalities": "1133,1134"}),
    "api:list_indicators": Access(get=EVERYONE, query={"domain": "economy"}),
    "api:municipality_indicators": Access(
        get=EVERYONE,
        kwargs=lambda s: [{"number": s["own_municipality"].number}, {"number": "0301"}],
        query={"domain": "economy"},
    ),
    # The downloads of figures (CSV, XLSX, JSON-stat).
    "api:indicator_data": Access(
        get=EVERYONE, kwargs=lambda s: {"key": "free_income_per_capita"}, query={"format": "csv"}
    ),
    "api:municipality_data": Access(
        get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}, query={"format": "json-stat"}
    ),
}
