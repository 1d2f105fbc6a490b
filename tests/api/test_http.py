"""The open data API behaves like the good ones: a valid OpenAPI description, paged lists with next and
previous links, ETag and Last-Modified with 304 on a conditional request, CORS for GET from anywhere, and
a documented rate limit answered 429 with Retry-After."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.utils.http import http_date
from openapi_spec_validator import validate

from kommunedialog.api import middleware
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics import catalogue, downloads

pytestmark = pytest.mark.django_db

BASE = "https://kommunedialog.example.no"
EXPOSED = (
    "Content-Disposition, ETag, Last-Modified, Link, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"
)
# 1 800 000 030 s is half a minute into a 60-second window.
NOW = 1_800_000_030.0


@pytest.fixture(autouse=True)
def public_address(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = BASE


def test_the_openapi_description_is_valid_and_documents_304_and_429(client):
    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)  # raises on any fault
    for path, item in spec["paths"].items():
        responses = item["get"]["responses"]
        assert set(responses) >= {"200", "304", "429"}, path
        assert set(responses["429"]["headers"]) == {
            "Retry-After",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
        }
        assert {"ETag", "Last-Modified"} <= set(responses["200"]["headers"]), path
    data = spec["paths"]["/api/v1/indicators/{key}/data"]["get"]
    assert set(data["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/json",
    }
    assert [p["name"] for p in data["parameters"]] == ["key", "format"]


def test_a_list_links_its_next_and_previous_pages(client):
    first = client.get("/api/v1/municipalities", {"county": "11", "limit": 10}).json()
    assert (first["count"], len(first["items"])) == (23, 10)
    assert first["previous"] is None
    assert first["next"] == f"{BASE}/api/v1/municipalities?county=11&limit=10&offset=10"
    second = client.get(first["next"].removeprefix(BASE)).json()
    assert second["previous"] == f"{BASE}/api/v1/municipalities?county=11&limit=10&offset=0"
    assert second["next"] == f"{BASE}/api/v1/municipalities?county=11&limit=10&offset=20"
    last = client.get(second["next"].removeprefix(BASE)).json()
    assert (len(last["items"]), last["next"]) == (3, None)
    assert last["previous"] == f"{BASE}/api/v1/municipalities?county=11&limit=10&offset=10"
    numbers = [m["number"] for page in (first, second, last) for m in page["items"]]
    assert numbers == sorted(set(numbers))
    assert len(numbers) == 23
    grants = client.get("/api/v1/grants").json()
    assert grants == {"items": [], "count": 0, "next": None, "previous": None}


def test_an_unchanged_answer_is_304_and_a_changed_one_is_not(client):
    url = "/api/v1/municipalities/1133"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert modified == http_date(middleware.newest_change().timestamp())
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert (again.headers["ETag"], again.headers["Last-Modified"]) == (etag, modified)
    assert again.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    Municipality.objects.filter(number="1133").update(name="Hjelmeland (renamed in a test)")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.json()["name"] == "Hjelmeland (renamed in a test)"


def test_a_streamed_download_answers_conditional_requests_too(client):
    url = "/api/v1/indicators/population/data?format=csv"
    first = client.get(url)
    assert first.streaming
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    modified = downloads.indicator_modified(catalogue.by_key()["population"]) or middleware.newest_change()
    assert first.headers["Last-Modified"] == http_date(max(modified, middleware.SERVING_SINCE).timestamp())
    again = client.get(url, headers={"If-None-Match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert client.get(
        "/api/v1/indicators/population/data?format=xlsx", headers={"If-None-Match": etag}
    ).status_code == (200)


def test_any_origin_may_read_the_api(client):
    response = client.get("/api/v1/indicators", headers={"Origin": "https://analyst.example.org"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Expose-Headers"] == EXPOSED
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/api/v1/indicators",
        headers={
            "Origin": "https://analyst.example.org",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 204
    assert {k: v for k, v in preflight.headers.items() if k.startswith("Access-Control-")} == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept, Accept-Language",
        "Access-Control-Max-Age": "86400",
        "Access-Control-Expose-Headers": EXPOSED,
    }
    # The site's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/apne-data/").headers


def test_the_rate_limit_answers_429_with_retry_after(client, settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_LIMIT_PERIOD = 60
    cache.clear()
    with mock.patch.object(middleware.time, "time", return_value=NOW):
        answers = [client.get("/api/v1/indicators", REMOTE_ADDR="192.0.2.7") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
        refused = answers[3]
        assert {k: v for k, v in refused.headers.items() if k.startswith(("Retry-After", "RateLimit-"))} == {
            "Retry-After": "30",
            "RateLimit-Limit": "3",
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": "30",
        }
        assert refused.json() == {"detail": "Too many requests: at most 3 every 60 seconds. Try again later."}
        assert refused.headers["Access-Control-Allow-Origin"] == "*"
        assert "ETag" not in refused.headers
        # Another address has its own count; the site's pages are not counted.
        assert client.get("/api/v1/indicators", REMOTE_ADDR="192.0.2.8").status_code == 200
        assert client.get("/apne-data/", REMOTE_ADDR="192.0.2.7").status_code == 200
    with mock.patch.object(middleware.time, "time", return_value=NOW + 30):
        fresh = client.get("/api/v1/indicators", REMOTE_ADDR="192.0.2.7")
        assert (fresh.status_code, fresh.headers["RateLimit-Remaining"], fresh.headers["RateLimit-Reset"]) == (
            200,
            "2",
            "60",
        )


def test_without_a_cache_the_api_answers_without_a_limit(client, settings, caplog):
    settings.API_RATE_LIMIT = 3
    with mock.patch.object(middleware.cache, "add", side_effect=ConnectionError("cache down")):
        response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    assert [h for h in response.headers if h.startswith("RateLimit-")] == []
    assert "API rate limit not counted: the cache did not answer" in caplog.messages
