"""
The editorial roles as groups: Writers, Editors and Cataloguers. The fourth
role, Moderators, is made by comments/migrations/0002 (this app builds below
comments and cannot name it); the plural names follow that group's.

An administrator can still make other groups or give a person single
permissions; these are the starting points the README describes.
"""

from django.db import migrations

EXTRA = {
    "publish_article": "Can publish, schedule and unpublish lists",
    "restore_revision": "Can restore an earlier revision of a list",
    "share_draft": "Can create share links to unpublished lists",
}
VERBOSE = {
    "filmtitle": "film title", "taggedfilm": "film mood", "taggedarticle": "article hashtag",
    "transition": "review step",
}

ALL = ["add", "change", "delete", "view"]
WRITING = {
    "article": ["add", "change", "view"],
    "entry": ALL,
    "hashtag": ["add", "view"],
    "transition": ["view"],
}
ROLES = {
    # Writers change only their own unpublished lists; ArticleAdmin applies that rule.
    "Writers": {
        "articles": WRITING,
        "films": {"film": ["view"]},  # to pick films in a list's entries
    },
    "Editors": {
        "articles": {
            **WRITING,
            "article": [*ALL, "publish_article", "restore_revision", "share_draft"],
            "hashtag": ALL,
        },
        "films": {"film": ["view"]},
    },
    "Cataloguers": {
        "films": {model: ALL for model in ["film", "filmtitle", "person", "studio", "credit", "mood", "taggedfilm"]},
    },
}


def _permission(apps, app_label, model, codename):
    # As in comments/0002: permissions are normally made after all migrations
    # (post_migrate), so make them here for a fresh database; that later pass
    # finds them by codename and leaves them alone.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    if codename in EXTRA:
        name = EXTRA[codename]
    else:
        name = f"Can {codename} {VERBOSE.get(model, model)}"
        codename = f"{codename}_{model}"
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role, apps_models in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, models in apps_models.items():
            for model, codenames in models.items():
                group.permissions.add(*(_permission(apps, app_label, model, c) for c in codenames))


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_review_transitions_and_editorial_permissions"),
        ("films", "0004_film_confirmed"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
