"""E-mail sent once. Every mail the platform sends is first written to the outbox (``OutboxMail``), keyed by
purpose, object, occasion and recipient, then sent under a row lock and marked sent in the same
transaction. A task that runs again (a retry, a second enqueue, a worker killed half-way) finds the mails
it already sent and sends only the rest.

One window is left, and no mail system closes it: the mail server has taken a mail and the worker dies
before the mark is committed. That mail is sent again; everything else is sent exactly once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone, translation

from kommunedialog.core import checkpoints
from kommunedialog.core.models import OutboxMail

logger = logging.getLogger(__name__)

# An unsent mail younger than this may still be in the hands of its own task; the sweep leaves it alone.
SWEEP_AFTER = dt.timedelta(minutes=15)


def send_once(
    *,
    purpose: str,
    about: models.Model,
    recipients: Iterable[str],
    language: str,
    compose: Callable[[], tuple[str, str]],
    occasion: str = "",
) -> int:
    """Mail ``compose()``'s (subject, body), written in ``language``, to each recipient not yet mailed for
    this purpose, object and occasion. Returns how many mails this call sent. A mail the server refuses
    stays in the outbox unsent; the others still go, and the first refusal is raised at the end so the
    task is tried again."""
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return 0
    with translation.override(language):
        subject, body = compose()
    object_type = ContentType.objects.get_for_model(about)
    mails = [
        OutboxMail.objects.get_or_create(
            purpose=purpose,
            object_type=object_type,
            object_id=str(about.pk),
            occasion=occasion,
            recipient=address,
            defaults={"language": language, "subject": subject, "body": body},
        )[0]
        for address in addresses
    ]
    sent, refusal = 0, None
    for mail in mails:
        try:
            sent += deliver(mail.pk)
        except Exception as error:
            refusal = refusal or error
    if refusal is not None:
        raise refusal
    return sent


def deliver(mail_id: int) -> bool:
    """Send one outbox mail unless it is sent. True if this call sent it."""
    error: Exception | None = None
    with transaction.atomic():
        # The lock makes a second sender (a retry, the sweep) wait, then find the mail sent.
        mail = OutboxMail.objects.select_for_update().get(pk=mail_id)
        if mail.sent_at is not None:
            return False
        mail.attempts += 1
        try:
            EmailMessage(mail.subject, mail.body, None, [mail.recipient]).send()
        except Exception as refused:
            error = refused
            mail.last_error = f"{type(refused).__name__}: {refused}"[:2000]
        else:
            mail.sent_at = timezone.now()
            mail.last_error = ""
        mail.save(update_fields=["attempts", "sent_at", "last_error"])
    if error is not None:
        raise error
    checkpoints.reach(checkpoints.MAIL_SENT)
    return True


def deliver_unsent() -> int:
    """Send every mail whose own task gave up (or was lost) at least ``SWEEP_AFTER`` ago. Returns mails sent."""
    sent = 0
    due = OutboxMail.objects.filter(sent_at__isnull=True, created_at__lte=timezone.now() - SWEEP_AFTER)
    for mail_id in due.order_by("pk").values_list("pk", flat=True):
        try:
            sent += deliver(mail_id)
        except Exception:
            logger.exception("Outbox mail %s was refused again", mail_id)
    return sent
