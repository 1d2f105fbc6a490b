"""Feedback on the pages: "Did you find what you were looking for?" in every page's layout, outside the
cached page body; stored without personal data; rate-limited per client without keeping the address;
summarised for administrators only."""

from __future__ import annotations

import pytest
from django.test import Client

from kommunedialog.publicsite import feedback
from kommunedialog.publicsite.models import PageFeedback
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HJELMELAND = "/kommuner/1133/"


def fields_of(item: PageFeedback) -> tuple[object, ...]:
    return (item.path, item.found, item.comment, item.language)


def test_every_public_page_carries_the_form_with_its_own_path_and_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    for path in ("/", HJELMELAND, HJELMELAND):  # the second Hjelmeland page is served from the cache
        text = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        aside = text.split('<aside id="tilbakemelding"')[1].split("</aside>")[0]
        # "Fann du det du leitte etter?" in nynorsk, "Fant du det du lette etter?" in bokmål.
        assert "Did you find what you were looking for?" in aside
        assert f'name="path" value="{path}"' in aside
        assert 'name="csrfmiddlewaretoken"' in aside
        assert text.index("</main>") < text.index('<aside id="tilbakemelding"')


def test_without_javascript_an_answer_is_stored_and_the_reader_sent_back_with_thanks():
    client = Client(enforce_csrf_checks=True)
    page = client.get(HJELMELAND, HTTP_ACCEPT_LANGUAGE="nn")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    response = client.post(
        "/tilbakemelding/",
        {"csrfmiddlewaretoken": token, "path": HJELMELAND + "?q=secret", "found": "no", "comment": "Tilsyn 2024"},
        HTTP_ACCEPT_LANGUAGE="nn",
    )
    assert (response.status_code, response["Location"]) == (302, HJELMELAND + "?tilbakemelding=takk#tilbakemelding")
    assert [fields_of(f) for f in PageFeedback.objects.all()] == [(HJELMELAND, False, "Tilsyn 2024", "nn")]
    thanks = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thank you for your answer." in thanks


def test_with_htmx_the_aside_is_swapped_for_the_thanks():
    client = Client()
    response = client.post("/tilbakemelding/", {"path": "/", "found": "yes"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip().startswith('<aside id="tilbakemelding"')
    assert [fields_of(f) for f in PageFeedback.objects.all()] == [("/", True, "", "nb")]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"path": "https://example.org/", "found": "yes"}, 400),
        ({"path": "//example.org/", "found": "yes"}, 400),
        ({"path": "/no/such/page/", "found": "yes"}, 400),
        ({"path": "/", "found": "maybe"}, 302),
    ],
)
def test_an_answer_about_no_page_of_ours_or_without_yes_or_no_is_refused(client, data, status):
    response = client.post("/tilbakemelding/", data)
    assert response.status_code == status
    assert PageFeedback.objects.count() == 0


def test_a_get_stores_nothing(client):
    assert client.get("/tilbakemelding/?path=/&found=yes").status_code == 405
    assert PageFeedback.objects.count() == 0


def test_at_most_ten_answers_an_hour_from_one_client_and_the_address_is_not_stored(client):
    for _ in range(feedback.RATE_LIMIT):
        assert client.post("/tilbakemelding/", {"path": "/", "found": "yes"}, REMOTE_ADDR="10.1.2.3").status_code == 302
    refused = client.post("/tilbakemelding/", {"path": "/", "found": "yes"}, REMOTE_ADDR="10.1.2.3")
    assert refused["Location"] == "/?tilbakemelding=for-mange#tilbakemelding"
    assert PageFeedback.objects.count() == 10
    # Another client is not held back.
    assert client.post("/tilbakemelding/", {"path": "/", "found": "no"}, REMOTE_ADDR="10.9.9.9").status_code == 302
    assert PageFeedback.objects.count() == 11
    stored = [str(v) for row in PageFeedback.objects.values_list() for v in row]
    assert not any("10.1.2.3" in v or "10.9.9.9" in v for v in stored)


def test_the_summary_counts_per_page_alphabetically_for_administrators_only(client):
    for path, found, comment in [
        (HJELMELAND, True, ""),
        (HJELMELAND, False, "Fann ikkje tilsyn"),
        ("/", False, ""),
        ("/sok/", True, "Bra"),
    ]:
        feedback.feedback_give(path=path, found=found, comment=comment, language="nn")
    pages = feedback.summary()
    assert [(p.path, p.yes, p.no, [c.comment for c in p.latest]) for p in pages] == [
        ("/", 0, 1, []),
        (HJELMELAND, 1, 1, ["Fann ikkje tilsyn"]),
        ("/sok/", 1, 0, ["Bra"]),
    ]
    client.force_login(UserFactory(role="staff", office="rogaland"))
    assert client.get("/intern/tilbakemeldinger/").status_code == 403
    client.force_login(UserFactory(role="admin"))
    page = client.get("/intern/tilbakemeldinger/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Fann ikkje tilsyn" in page.content.decode()
