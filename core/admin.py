"""The background task queue in the admin, searchable by task like every other list."""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only queue, with a search by task (e.g. `comment_held_mail`, `purge_edge`)."""

    search_fields = ["task_path", "queue_name"]
