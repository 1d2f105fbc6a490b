"""What a view does with a posted form, the same way on every page: a refusal goes beside the field it is
about (or above the form), an edit conflict keeps what the person typed and shows both versions (409),
and invalid input answers 400 with the form as it was sent. Plain POST and htmx alike; nothing is lost."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from kommunedialog.core.concurrency import EditConflict
from kommunedialog.core.refusal import Refused
from kommunedialog.core.workflow import Step


@dataclass(frozen=True)
class Outcome[T]:
    result: T | None
    status: int  # 200 saved, 400 invalid or refused, 409 someone else saved first
    conflict: EditConflict | None = None

    @property
    def saved(self) -> bool:
        return self.status == 200


def submit[T](form: forms.BaseForm, save: Callable[[], T]) -> Outcome[T]:
    """Validate ``form`` and, when it is valid, run ``save`` (one service call)."""
    if not form.is_valid():
        return Outcome(None, 400)
    try:
        result = save()
    except EditConflict as conflict:
        keep_typed_text(form, conflict)
        return Outcome(None, 409, conflict)
    except Refused as refused:
        show_refusal(form, refused)
        return Outcome(None, 400)
    return Outcome(result, 200)


def show_refusal(form: forms.BaseForm, refused: Refused) -> None:
    field = refused.field if refused.field in form.fields else None
    form.add_error(field, str(refused.reason))


def keep_typed_text(form: forms.BaseForm, conflict: EditConflict) -> None:
    """After an edit conflict: the form keeps what the person typed and takes the saved version's number,
    so that saving again replaces the other person's text knowingly, having seen it."""
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when posted
    data[form.add_prefix("version")] = str(conflict.current_version)
    form.data = data
    form.full_clean()


def refuse(request: HttpRequest, refused: Refused) -> None:
    """A refused button press (no form to put it beside): the reason as a message on the next page."""
    messages.error(request, str(refused.reason))


def press[T](request: HttpRequest, action: Callable[[], T]) -> T | None:
    """A button with nothing to fill in: take the step; a refusal becomes a message on the next page."""
    try:
        return action()
    except Refused as refused:
        refuse(request, refused)
        return None


@dataclass(frozen=True)
class Offer:
    """A next step as a page offers it: a button (with the step's form, if it needs one) when the person
    can take it now, else its label with the reason. ``link`` steps are taken on a page of their own."""

    step: Step
    url: str
    form: forms.BaseForm | None = None
    link: bool = False


def offers(
    steps: Iterable[Step],
    *,
    url: Callable[[str], str],
    step_forms: Mapping[str, forms.BaseForm | None] | None = None,
    links: Collection[str] = (),
) -> list[Offer]:
    step_forms = step_forms or {}
    return [Offer(s, url(s.action), step_forms.get(s.action), s.action in links) for s in steps]
