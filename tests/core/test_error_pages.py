"""Error pages in the site's layout and the reader's language, never Django's bare English ones."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

LAYOUT = '<a class="ds-skip-link" href="#main">'


@pytest.mark.parametrize(
    ("path", "status", "language", "title"),
    [
        ("/finst-ikkje/", 404, "nb", "Siden finnes ikke"),
        ("/finst-ikkje/", 404, "nn", "Sida finst ikkje"),
        ("/finst-ikkje/", 404, "en", "Page not found"),
        ("/test-errors/403/", 403, "nn", "Du har ikkje tilgang til dette"),
        ("/test-errors/400/", 400, "nb", "Forespørselen kunne ikke leses"),
        ("/test-errors/500/", 500, "nb", "Noe gikk galt hos oss"),
        ("/test-errors/500/", 500, "nn", "Noko gjekk gale hos oss"),
    ],
)
def test_each_error_page_is_in_the_layout_and_the_readers_language(path, status, language, title):
    response = Client(raise_request_exception=False, headers={"Accept-Language": language}).get(path)
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}"' in html
    assert LAYOUT in html
    assert f'<h1 class="ds-heading" data-size="lg">{title}</h1>' in html


def test_a_form_posted_without_its_csrf_token_gets_the_sites_403_page():
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    response = client.post("/konto/logg-inn/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert '<h1 class="ds-heading" data-size="lg">The form could not be sent</h1>' in response.content.decode()


def test_a_missing_attachment_file_is_a_clear_404_not_a_500(tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kommunedialog.core.uploads import file_response, stored_file_create
    from tests.factories import UserFactory

    user = UserFactory(role="municipality_user", municipality="1133")
    stored = stored_file_create(
        actor=user, upload=SimpleUploadedFile("svar.pdf", b"%PDF-1.7\n%x\n%%EOF\n"), allowed=["pdf"]
    )
    stored.file.storage.delete(stored.file.name)
    from django.http import Http404

    with pytest.raises(Http404):
        file_response(stored)
