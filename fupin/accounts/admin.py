from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from fupin.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "region", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("fupin", {"fields": ("role", "region", "display_name")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["hint", "user", "label", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["digest", "hint"]
