"""Background tasks (django-tasks): every mail of a subscription is sent by the worker.

Thin wrappers: the work is in delivery.py and mail.py, which the tests call directly too.
The request for a subscription is mailed from here rather than from the view so that the
view does the same whether the address is new or not (no answer, and no answer's timing,
says which), and so that the confirmation's token is made here: only its hash is stored, and
the task's arguments in the queue table hold no secret.
"""

from django_tasks import task


@task()
def send_request_mail(subscription_pk):
    """The confirmation (a new link), or "you already subscribe": at most once an hour."""
    from . import mail
    from .models import Subscription

    subscription = Subscription.objects.select_related("promise").filter(pk=subscription_pk)
    subscription = subscription.first()
    if subscription is None or not subscription.claim_request_mail():
        return 0
    if subscription.confirmed_at is None:
        message = mail.confirmation(subscription, subscription.new_confirmation_token())
    else:
        message = mail.already_subscribed(subscription)
    message.send()
    return 1


@task()
def send_followup_mail(followup_pk):
    """Mail a published follow-up (or its correction) to its promise's subscribers."""
    from followups.models import FollowUp

    from .delivery import send_followup

    followup = FollowUp.objects.public().select_related("promise").filter(pk=followup_pk).first()
    return 0 if followup is None else send_followup(followup)


def enqueue_followup_mail(sender, *, followup_pk, **kwargs):
    """The receiver of followups.signals.followup_published (connected in apps.py)."""
    send_followup_mail.enqueue(followup_pk)
