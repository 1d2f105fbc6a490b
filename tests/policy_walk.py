"""Walking the project's URLs with the declared access policies (shared by the permission matrix and
the leak crawl)."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kommunedialog.accounts.models import User
from kommunedialog.core.policy import Access, Scenario
from kommunedialog.registry.models import Municipality


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    regex: str
    params: tuple[str, ...]


def iter_routes(resolvers: list[Any] | None = None, namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        regex = prefix + entry.pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry.url_patterns, ns, regex)
        elif isinstance(entry, URLPattern):
            params = tuple(re.findall(r"\(\?P<(\w+)>", regex))
            yield Route(f"{namespace}{entry.name}" if entry.name else None, regex, params)


def policy_modules() -> Iterator[Any]:
    for config in apps.get_app_configs():
        if not config.name.startswith("kommunedialog."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.policy")
        except ModuleNotFoundError:
            continue


def load_policy() -> dict[str, Access]:
    policy: dict[str, Access] = {}
    for module in policy_modules():
        for name, access in getattr(module, "POLICY", {}).items():
            assert name not in policy, f"{name} is declared twice"
            policy[name] = access
    return policy


def policy_for(policy: dict[str, Access], route: Route) -> Access | None:
    if route.name in policy:
        return policy[route.name]
    if route.name is None:
        # Unnamed catch-all patterns (Django admin has one) are declared as "<namespace>:<unnamed>".
        namespace = route.regex.split("/", 1)[0]
        return policy.get(f"{namespace}:<unnamed>")
    return policy.get(route.name.rsplit(":", 1)[0] + ":*") if ":" in route.name else None


def admin_kwargs(route: Route, scenario: Scenario) -> dict[str, Any]:
    """Parameters for Django admin URLs: the model comes from the URL name (<app>_<model>_<view>)."""
    kwargs: dict[str, Any] = {}
    model = None
    if route.name:
        for candidate in apps.get_models():
            key = f"admin:{candidate._meta.app_label}_{candidate._meta.model_name}_"
            if route.name.startswith(key):
                model = candidate
    if route.name == "admin:auth_user_password_change":  # Django names it after auth, whatever the user model
        model = User
    first = model._default_manager.order_by("pk").first() if model else None
    if "content_type_id" in route.params:  # "view on site": a real object of a real type
        return {
            "content_type_id": ContentType.objects.get_for_model(Municipality).pk,
            "object_id": str(scenario["own_municipality"].pk),
        }
    for param in route.params:
        if param == "app_label":
            kwargs[param] = "registry"
        elif param in {"object_id", "id"}:
            kwargs[param] = str(first.pk) if first else "999999"
    return kwargs


def build_urls(route: Route, access: Access, scenario: Scenario) -> list[str]:
    if route.name is None:
        return ["/" + re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", route.regex)]
    if access.kwargs is not None:
        built = access.kwargs(scenario)
        sets = built if isinstance(built, list) else [built]
    elif route.name.startswith("admin:"):
        sets = [admin_kwargs(route, scenario)]
    elif route.params:
        raise AssertionError(f"{route.name} takes {route.params}; its policy must say how to fill them (kwargs=)")
    else:
        sets = [{}]
    query = "?" + "&".join(f"{k}={v}" for k, v in access.query.items()) if access.query else ""
    return [reverse(route.name, kwargs=dict(kwargs)) + query for kwargs in sets]


@functools.cache
def _count_every_table() -> str:
    # One query for all tables: the matrix takes a fingerprint before and after every refused POST, and a
    # count per model was a third of its time. Whole tables, so a proxy's filtered manager hides nothing.
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)} - {"django_session"})
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 (model tables)


# PostgreSQL counts every row inserted, updated and deleted in the current transaction (the test's), per
# table: cheap however large the tables are, and it sees an update, which a row count does not.
_WRITES_IN_TRANSACTION = """
    SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables
    WHERE relname <> 'django_session' AND n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relname
"""


def fingerprint() -> tuple[Any, ...]:
    """What a request could have changed: on PostgreSQL the rows written in the test's transaction to every
    table but the sessions', elsewhere the number of rows in each of those tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_WRITES_IN_TRANSACTION)
            return tuple(cursor.fetchall())
        cursor.execute(_count_every_table())
        return tuple(cursor.fetchone())
