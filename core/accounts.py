"""Who on the staff should hear about something: by permission, not by group name."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q


def emails_with_permission(app_label, codename):
    """
    The addresses of every active user holding `app_label.codename`, through
    a group, directly or as a superuser; sorted, each once.
    """
    perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(groups__permissions=perm) | Q(user_permissions=perm))
    )
    return sorted(set(users.values_list("email", flat=True)))
