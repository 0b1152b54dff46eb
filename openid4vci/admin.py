"""Support staff can look up an offer and its log; nobody edits them here (the log is append-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from badges.admin import ReadOnlyAdminMixin
from openid4vci.models import WalletOffer, WalletOfferEvent

# Django's admin classes are generic only to the type checker (django-stubs), not at run time.
if TYPE_CHECKING:
    EventInline = admin.TabularInline[WalletOfferEvent, WalletOffer]
    OfferAdmin = admin.ModelAdmin[WalletOffer]
else:
    EventInline, OfferAdmin = admin.TabularInline, admin.ModelAdmin


class WalletOfferEventInline(ReadOnlyAdminMixin, EventInline):
    model = WalletOfferEvent
    fields = ("created_at", "kind", "actor", "data")
    readonly_fields = fields
    extra = 0


@admin.register(WalletOffer)
class WalletOfferAdmin(ReadOnlyAdminMixin, OfferAdmin):
    list_display = ("public_id", "credential", "channel", "created_at", "expires_at", "closed_reason")
    list_filter = ("channel",)
    search_fields = ("public_id", "credential__recipient_email")
    fields = ("public_id", "credential", "channel", "created_by", "configuration_ids", "issued_configuration_ids",
              "expires_at", "code_used_at", "tx_code_attempts", "closed_at", "closed_reason", "created_at")
    readonly_fields = fields
    inlines = [WalletOfferEventInline]
