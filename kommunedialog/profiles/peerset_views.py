"""Pages for comparison groups under /intern/sammenligningsgrupper/: the list, a new group, one group's
figures side by side, changing and deleting it. Thin views over ``profiles.peersets``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kommunedialog.core.actors import person
from kommunedialog.core.submission import press, submit
from kommunedialog.profiles import peersets
from kommunedialog.registry.models import Municipality
from kommunedialog.statistics.models import PeerSet


class PeerSetForm(forms.Form):
    owner = forms.ChoiceField(label=_("Group of"))
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "ds-input"}))
    members = forms.MultipleChoiceField(
        label=_("Municipalities"),
        help_text=_("Two or more (hold Ctrl or ⌘ to choose several). They are always shown alphabetically."),
        widget=forms.SelectMultiple(attrs={"class": "ds-input", "size": 12}),
    )
    note = forms.CharField(
        label=_("Why these municipalities (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
    )

    def __init__(self, *args: Any, owners: list[peersets.Owner], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {peersets.owner_key(o): o for o in owners}
        owner_field: Any = self.fields["owner"]
        owner_field.choices = [(k, getattr(o, "name_norwegian", None) or o.name) for k, o in self.owners.items()]
        owner_field.widget.attrs["class"] = "ds-input"
        if editing:
            del self.fields["owner"]
        current = Municipality.objects.current().order_by("name_norwegian", "number")
        members_field: Any = self.fields["members"]
        members_field.choices = [(m.number, f"{m.name_norwegian} ({m.number})") for m in current]

    def chosen_members(self) -> list[Municipality]:
        return list(Municipality.objects.current().filter(number__in=self.cleaned_data["members"]))


def _initial(peer_set: PeerSet) -> dict[str, Any]:
    return {
        "name": peer_set.name,
        "note": peer_set.note,
        "members": list(peer_set.members.values_list("number", flat=True)),
    }


@require_safe
@login_required
def peer_set_list(request: HttpRequest) -> HttpResponse:
    owners = peersets.owners_for(request.user)
    if not owners:
        raise Http404("No comparison groups for this user")
    groups = list(peersets.visible_to(request.user))
    return render(request, "profiles/peer_sets.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
@login_required
def peer_set_create(request: HttpRequest) -> HttpResponse:
    owners = peersets.owners_for(request.user)
    if not owners:
        raise Http404("No comparison groups for this user")
    form = PeerSetForm(request.POST or None, owners=owners)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: peersets.peer_set_create(
                actor=person(request),
                owner=form.owners[form.cleaned_data["owner"]],
                name=form.cleaned_data["name"],
                members=form.chosen_members(),
                note=form.cleaned_data["note"],
            ),
        )
        if outcome.saved and outcome.result is not None:
            return redirect("peersets:peer_set_show", peer_set_id=outcome.result.pk)
        status = outcome.status
    return render(request, "profiles/peer_set_form.html", {"form": form, "peer_set": None}, status=status)


@require_safe
@login_required
def peer_set_show(request: HttpRequest, peer_set_id: int) -> HttpResponse:
    peer_set = peersets.peer_set_for(request.user, peer_set_id)
    members, domains = peersets.side_by_side(peer_set)
    return render(request, "profiles/peer_set.html", {"peer_set": peer_set, "members": members, "domains": domains})


@require_http_methods(["GET", "POST"])
@login_required
def peer_set_edit(request: HttpRequest, peer_set_id: int) -> HttpResponse:
    peer_set = peersets.peer_set_for(request.user, peer_set_id)
    form = PeerSetForm(request.POST or None, initial=_initial(peer_set), owners=[], editing=True)
    status = 200
    if request.method == "POST":
        outcome = submit(
            form,
            lambda: peersets.peer_set_update(
                actor=person(request),
                peer_set=peer_set,
                name=form.cleaned_data["name"],
                members=form.chosen_members(),
                note=form.cleaned_data["note"],
            ),
        )
        if outcome.saved:
            return redirect("peersets:peer_set_show", peer_set_id=peer_set.pk)
        status = outcome.status
    return render(request, "profiles/peer_set_form.html", {"form": form, "peer_set": peer_set}, status=status)


@require_POST
@login_required
def peer_set_delete(request: HttpRequest, peer_set_id: int) -> HttpResponse:
    peer_set = peersets.peer_set_for(request.user, peer_set_id)
    press(request, lambda: peersets.peer_set_delete(actor=person(request), peer_set=peer_set))
    return redirect("peersets:peer_set_list")
