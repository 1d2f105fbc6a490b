from kommunedialog.core.policy import ADMIN_ONLY, EVERYONE, Access

POLICY = {
    "publicsite:front_show": Access(get=EVERYONE),
    "publicsite:municipality_show": Access(
        get=EVERYONE, kwargs=lambda s: [{"number": s["own_municipality"].number}, {"number": "3029"}]
    ),
    "publicsite:kommunebilde_show": Access(
        get=EVERYONE,
        kwargs=lambda s: {"number": s["own_municipality"].number, "snapshot_id": s["published_snapshot"].pk},
    ),
    "publicsite:kommunebilde_snapshot_download": Access(
        get=EVERYONE,
        kwargs=lambda s: {"number": s["own_municipality"].number, "snapshot_id": s["published_snapshot"].pk},
    ),
    "publicsite:kommunebilde_download": Access(get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}),
    "publicsite:office_map_draw": Access(get=EVERYONE, kwargs=lambda s: {"number": s["own_municipality"].number}),
    "publicsite:search": Access(get=EVERYONE, query={"q": "hjelmeland"}),
    "publicsite:accessibility_show": Access(get=EVERYONE),
    "publicsite:open_data_show": Access(get=EVERYONE),
    # Anyone may answer "did you find what you were looking for?" (a POST without a form is a 400).
    "publicsite:feedback_give": Access(post=EVERYONE),
    "publicsite:feedback_summary": Access(get=ADMIN_ONLY),
}
