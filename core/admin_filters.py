"""List filters the admin of more than one app uses."""

from django.contrib import admin


class InUseFilter(admin.SimpleListFilter):
    """Tags in use or not: the unused ones are those to merge or delete."""

    title = "in use"
    parameter_name = "in_use"
    relation = None  # the tag model's reverse relation to its tagged items

    def lookups(self, request, model_admin):
        return [("yes", "In use"), ("no", "Unused")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.relation}__isnull": self.value() == "no"}).distinct()
        return queryset
