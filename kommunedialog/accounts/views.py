from __future__ import annotations

import logging

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kommunedialog.accounts import access, oidc
from kommunedialog.accounts.models import Role

logger = logging.getLogger(__name__)
NEXT_KEY = "kommunedialog_oidc_next"


@require_safe
@login_required
def me_show(request: HttpRequest) -> HttpResponse:
    """The logged-in user's start page: who they are, which roles they hold, and where. The apps above
    add their own sections through template tags (profiles: kommunebilder on consultation)."""
    return render(
        request,
        "accounts/me.html",
        {
            "assignments": access.assignments(request.user),
            "municipalities": access.municipalities_in_scope(request.user)[:60],
            "works_in_office": bool(access.offices_for(request.user)),
            "planning_offices": sorted({a.office for a in access.assignments(request.user) if a.office}, key=str),
            "is_ministry": access.has_role(request.user, Role.MINISTRY) and not access.offices_for(request.user),
            "has_peer_sets": bool(access.offices_for(request.user) or access.municipality_ids_for(request.user)),
        },
    )


def _provider(key: str) -> oidc.Provider:
    provider = oidc.providers().get(key)
    if provider is None:
        raise Http404("No such login provider")
    return provider


@require_safe
def oidc_start(request: HttpRequest, provider: str) -> HttpResponse:
    conf = _provider(provider)
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        request.session[NEXT_KEY] = next_url
    redirect_uri = request.build_absolute_uri(reverse("accounts:oidc_finish", kwargs={"provider": conf.key}))
    extra = {"acr_values": conf.acr_values} if conf.acr_values else {}
    return oidc.client_for(conf).authorize_redirect(request, redirect_uri, **extra)  # type: ignore[no-any-return]


@require_safe
def oidc_finish(request: HttpRequest, provider: str) -> HttpResponse:
    conf = _provider(provider)
    try:
        token = oidc.client_for(conf).authorize_access_token(request)
        user = oidc.oidc_login(provider=conf, claims=token.get("userinfo") or {})
    except oidc.LOGIN_FAILURES as exc:
        # The reason goes to the log; the page says only what the person can act on.
        logger.warning("OIDC login through %s refused: %s", conf.key, exc)
        message = _("The login was not accepted. If you should have access, ask your County Governor office.")
        return render(
            request, "accounts/login.html", {"oidc_error": message, "providers": oidc.providers()}, status=403
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(request.session.pop(NEXT_KEY, "") or "accounts:me_show")
