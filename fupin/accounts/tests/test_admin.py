"""The admin is for superusers only: it is neither scoped by region nor masked (defect 27)."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from fupin.accounts.models import User
from fupin.accounts.services import user_add
from fupin.accounts.tests.factories import UserFactory
from fupin.core.errors import FupinError
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

GOOD = "Zaozhuang-2018!"


def test_a_staff_flag_does_not_open_the_admin_to_a_role_user(regions):
    # Given a county officer whose account somehow carries the staff flag (not saved: the
    # database refuses it, see below)
    officer = User(username="staffer", role="county_officer", region=regions.county, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = officer
    # Then the admin site refuses them; only a superuser may enter
    assert not admin.site.has_permission(request)
    request.user = User(username="root", is_superuser=True, is_staff=True)
    assert admin.site.has_permission(request)


def test_the_admin_shows_a_role_user_the_login_and_a_superuser_the_people(client, regions):
    household = HouseholdFactory(village=regions.village_b)
    person = PersonFactory(household=household, name="赵三", relation="head")
    client.force_login(UserFactory(username="county", role="county_officer", region=regions.county))
    response = client.get("/admin/registry/person/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    root = User.objects.create_superuser("root", password=GOOD)
    client.force_login(root)
    response = client.get("/admin/registry/person/")
    assert response.status_code == 200
    assert person.name in response.content.decode()


def test_the_database_and_the_model_refuse_staff_for_a_role_user(regions):
    user = UserFactory(username="li", role="town_officer", region=regions.town_a)
    user.is_staff = True
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "is_staff" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_staff=True)


def test_user_add_and_the_command_refuse_the_staff_flag(regions):
    with pytest.raises(FupinError) as exc:
        user_add(
            username="li",
            role="town_officer",
            region_code=regions.town_a.code,
            password=GOOD,
            is_staff=True,
        )
    assert exc.value.code == "staff_not_grantable"
    with pytest.raises(CommandError, match="staff_not_grantable"):
        call_command(
            "user",
            "add",
            "wang",
            "--role",
            "county_officer",
            "--region",
            regions.county.code,
            "--password",
            GOOD,
            "--staff",
        )
    assert not User.objects.filter(username__in=["li", "wang"]).exists()
    call_command(
        "user",
        "add",
        "wang",
        "--role",
        "county_officer",
        "--region",
        regions.county.code,
        "--password",
        GOOD,
    )
    assert User.objects.get(username="wang").is_staff is False
