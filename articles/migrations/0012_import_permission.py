"""
Importing a list becomes an editor's right of its own. An import writes a
draft and its entries and may add films the catalogue lacks; those start
unconfirmed, as a film added from an entry does, so catalogue rights are not
needed for them. Credits (people, studios) are still the cataloguers': an
importer without those rights imports the list and leaves the credits out.
"""

from django.db import migrations

NAME = "Can import a list from text (its new films start unconfirmed)"


def give_editors_import(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # As in 0007: made here for a fresh database; post_migrate later finds it by codename.
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="article")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="import_list", defaults={"name": NAME}
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(permission)


def take_it_back(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", codename="import_list"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_working_copy"),
        ("articles", "0007_editorial_roles"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [
                    ("publish_article", "Can publish, schedule and unpublish lists"),
                    ("restore_revision", "Can restore an earlier revision of a list"),
                    ("share_draft", "Can create share links to unpublished lists"),
                    ("import_list", NAME),
                ],
            },
        ),
        migrations.RunPython(give_editors_import, take_it_back),
    ]
