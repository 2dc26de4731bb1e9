"""Who may see which inquiry: the IKM's owner through the inbox (staff through the admin); a 404 for anyone else.

Another owner's inquiry is a 404, never a 403 that tells it exists (healthchecks' ``_get_check_for_user``).
"""

from django.http import Http404

from inquiries.models import Inquiry


def get_owned_inquiry_or_404(user: object, pk: int) -> Inquiry:
    """An inquiry to the IKM the user owns, with the product it is about (one query)."""
    inquiry = Inquiry.objects.select_related("ikm", "product").for_owner(user).filter(pk=pk).first()
    if inquiry is None:
        raise Http404("No such inquiry.")
    return inquiry
