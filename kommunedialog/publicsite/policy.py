from kommunedialog.core.policy import EVERYONE, Access

POLICY = {
    "publicsite:front": Access(get=EVERYONE),
    "publicsite:municipality": Access(
        get=EVERYONE, kwargs=lambda s: [{"number": s["own_municipality"].number}, {"number": "3029"}]
    ),
    "publicsite:kommunebilde": Access(
        get=EVERYONE,
        kwargs=lambda s: {"number": s["own_municipality"].number, "snapshot_id": s["published_snapshot"].pk},
    ),
    "publicsite:kommunebilde_pdf": Access(get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}),
    "publicsite:office_map": Access(get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}),
    "publicsite:search": Access(get=EVERYONE, query={"q": "hjelmeland"}),
    "publicsite:accessibility": Access(get=EVERYONE),
    "publicsite:open_data": Access(get=EVERYONE),
}
