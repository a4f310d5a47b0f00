"""
The "Moderators" group, with what the moderation queue needs: see comments,
run the moderation actions, and keep the block list.
"""

from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = {
    "comment": [
        ("view_comment", "Can view comment"),
        ("moderate_comment", "Can approve, mark as spam and remove comments"),
    ],
    "blockedword": [
        ("view_blockedword", "Can view blocked word"),
        ("add_blockedword", "Can add blocked word"),
        ("change_blockedword", "Can change blocked word"),
        ("delete_blockedword", "Can delete blocked word"),
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate);
    # create them here so the group can hold them on a fresh database. The
    # later post_migrate pass finds them and leaves them alone.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, perms in PERMISSIONS.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="comments", model=model)
        for codename, name in perms:
            perm, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(perm)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
