from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from fupin.core.admin_mixins import NoDeleteAdminMixin
from fupin.registry.models import Household, HouseholdIncome, Person


@admin.register(Household)
class HouseholdAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "household_no",
        "village",
        "poverty_status",
        "household_type",
        "monitoring_type",
        "risk_state",
    ]
    list_filter = ["poverty_status", "household_type", "monitoring_type"]
    search_fields = ["household_no"]
    raw_id_fields = ["village"]


@admin.register(Person)
class PersonAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "household", "relation", "sex", "birth_date", "left_on"]
    search_fields = ["name", "household__household_no"]
    raw_id_fields = ["household"]


@admin.register(HouseholdIncome)
class HouseholdIncomeAdmin(NoDeleteAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "household",
        "year",
        "wage",
        "business",
        "property_income",
        "transfer",
        "production_cost",
    ]
    raw_id_fields = ["household"]
