"""User administration for administrators. Role changes go through the audited services."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from kommunedialog.accounts import services
from kommunedialog.accounts.models import ClaimRoleRule, OidcIdentity, Role, RoleAssignment, User
from kommunedialog.accounts.oidc import national_id_hash
from kommunedialog.core import audit
from kommunedialog.core.actors import person
from kommunedialog.core.audit import AuditAction


class RoleAssignmentInline(admin.StackedInline[RoleAssignment, User]):
    # Stacked, not tabular: every field then has its own <label> (WCAG 1.3.1, 4.1.2).
    model = RoleAssignment
    extra = 0
    fields = ["role", "office", "municipality", "source", "granted_at"]
    readonly_fields = ["source", "granted_at"]


# Roles come from role assignments, not from Django groups and permissions, so those are not offered.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Status", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm[Any], change: bool) -> None:
        super().save_model(request, obj, form, change)
        fields = sorted(set(form.changed_data) - {"password", "password1", "password2"})
        audit.record(
            actor=person(request),
            obj=obj,
            action=AuditAction.USER_ADMIN_CHANGE if change else AuditAction.USER_ADMIN_CREATE,
            after={name: str(form.cleaned_data.get(name)) for name in fields},
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not formset._should_delete_form(inline_form):
                continue
            old = inline_form.instance if inline_form.instance.pk else None
            if old is not None:
                services.role_revoke(actor=person(request), assignment=old)
            if not formset._should_delete_form(inline_form):
                data = inline_form.cleaned_data
                services.role_grant(
                    actor=person(request),
                    user=form.instance,
                    role=Role(data["role"]),
                    office=data.get("office"),
                    municipality=data.get("municipality"),
                )
        return None


class ClaimRoleRuleForm(forms.ModelForm[ClaimRoleRule]):
    national_id = forms.CharField(
        label="National identity number (for claim pid)",
        required=False,
        help_text="Only its keyed hash is stored; the number itself is never saved or shown.",
        widget=forms.PasswordInput(render_value=False),
    )

    class Meta:
        model = ClaimRoleRule
        fields = ["provider", "claim", "value", "role", "office", "municipality"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("national_id") or "").strip()
        if number:
            if not (number.isdigit() and len(number) == 11):
                self.add_error("national_id", "A national identity number has 11 digits")
            data["claim"], data["value"] = "pid", national_id_hash(number)
            self.instance.claim, self.instance.value = data["claim"], data["value"]
        elif data.get("claim") == "pid" and not self.instance.pk:
            self.add_error("national_id", "Enter the number; it is stored only as a hash")
        return data


@admin.register(ClaimRoleRule)
class ClaimRoleRuleAdmin(admin.ModelAdmin[ClaimRoleRule]):
    form = ClaimRoleRuleForm
    list_display = ["provider", "claim", "role", "office", "municipality"]
    list_filter = ["provider", "role"]

    def save_model(self, request: HttpRequest, obj: ClaimRoleRule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        scope = str(obj.office or obj.municipality or "")
        audit.record(
            actor=person(request),
            obj=obj,
            action=AuditAction.CLAIM_RULE_CHANGE if change else AuditAction.CLAIM_RULE_CREATE,
            after={"provider": obj.provider, "claim": obj.claim, "role": obj.role, "scope": scope},
        )

    def delete_model(self, request: HttpRequest, obj: ClaimRoleRule) -> None:
        audit.record(
            actor=person(request),
            obj=obj,
            action=AuditAction.CLAIM_RULE_DELETE,
            before={"claim": obj.claim, "role": obj.role},
        )
        super().delete_model(request, obj)


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin[OidcIdentity]):
    list_display = ["user", "provider", "last_login_at"]
    list_filter = ["provider"]
    fields = ("user", "provider", "subject", "last_login_at")  # the hash is not shown
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
