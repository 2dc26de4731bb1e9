from django.contrib.contenttypes.models import ContentType
from django.db import models

from moderation.models import Decision


def decision_record(
    *, target: models.Model, actor: models.Model | None, from_status: str, to_status: str, reason: str = ""
) -> Decision:
    """Record one status change; call it inside the service's transaction so the log never disagrees."""
    decision = Decision(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )
    decision.full_clean()
    decision.save()
    return decision
