"""What the admin may not do, said once: records made through the services are not added, changed or deleted
behind their rules' back (the admin shows them, with their history)."""

from __future__ import annotations

from django.contrib import admin


class NoAddOrDelete:
    """Records that only the services create (so every rule applies) and nobody deletes (history is kept)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnly(NoAddOrDelete):
    """Shown for the auditor, never edited here."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False


class HistoryInline(admin.TabularInline):
    """A record's history rows: read, never added here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False
