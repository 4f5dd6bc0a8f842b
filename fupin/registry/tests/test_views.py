"""The household list and the household file (一户一档)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fupin.core.models import Event
from fupin.registry.models import Household, Person
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _listed(response) -> list[str]:
    return [row.household.household_no for row in response.context["rows"]]


def _list(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("registry:household_list"), params)
    assert response.status_code == 200
    return _listed(response)


def test_list_shows_only_the_users_scope(client, town):
    assert _list(client, town.town_a) == ["H-A-1", "H-A-2"]
    assert _list(client, town.county) == ["H-A-1", "H-A-2", "H-B-1"]
    assert _list(client, town.county_2) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "not_lifted"}, ["H-A-1", "H-B-1"]),
        ({"category": "lifted_supported"}, ["H-A-2"]),
        ({"household_type": "dibao"}, ["H-A-1"]),
        ({"main_cause": "schooling"}, ["H-A-2"]),
        ({"region": "370481102000"}, ["H-B-1"]),
        ({"region": "370481101201"}, ["H-A-1", "H-A-2"]),
        ({"code": "370481102201"}, ["H-B-1"]),
        ({"q": "李二"}, ["H-A-1"]),
        ({"q": "H-A-2"}, ["H-A-2"]),
        ({"q": "nobody"}, []),
    ],
)
def test_list_filters_and_search(client, town, params, expected):
    assert _list(client, town.county, **params) == expected


def test_search_by_id_number_finds_the_household(client, town):
    assert _list(client, town.county, q=town.head.id_number) == ["H-A-1"]


def test_search_does_not_reach_out_of_scope(client, town):
    assert _list(client, town.town_a, q="赵三") == []
    assert _list(client, town.town_a, code="370481102201") == []


def test_region_select_offers_only_the_users_subtree(client, town):
    client.force_login(town.town_a)
    response = client.get(reverse("registry:household_list"))
    codes = [value for value, _label in response.context["form"].fields["region"].choices]
    assert codes == ["", "370481101201"]


def test_list_row_shows_head_and_member_count(client, town):
    client.force_login(town.town_a)
    response = client.get(reverse("registry:household_list"))
    row = response.context["rows"][0]
    assert (row.head_name, row.member_count) == ("王一", 2)
    assert "王一" in response.content.decode()


def test_list_pages_by_fifty_without_counting_the_scope(client, town):
    for n in range(60):
        HouseholdFactory(village=town.regions.village_b, household_no=f"H-B-9{n:03d}")
    client.force_login(town.town_b)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("registry:household_list"))
    assert len(first.context["rows"]) == 50
    assert first.context["has_next"] is True
    assert len(queries) <= 10
    assert not [
        q
        for q in queries
        if "COUNT(" in q["sql"].upper() and 'FROM "REGISTRY_HOUSEHOLD"' in q["sql"].upper()
    ]
    second = client.get(reverse("registry:household_list"), {"page": 2})
    assert len(second.context["rows"]) == 11
    assert second.context["has_next"] is False
    assert 'rel="prev"' in second.content.decode() and 'rel="next"' not in second.content.decode()
    counted = client.get(reverse("registry:household_count"))
    assert 'data-count="61"' in counted.content.decode()


def test_htmx_request_gets_only_the_results(client, town):
    client.force_login(town.town_a)
    response = client.get(
        reverse("registry:household_list"),
        {"category": "not_lifted"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="household-table"' in body
    assert "H-A-1" in body and "H-A-2" not in body


def test_invalid_filter_shows_nothing_rather_than_everything(client, town):
    assert _list(client, town.town_a, region="370481102000") == []


def test_department_cannot_open_the_list(client, town, regions):
    from fupin.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(role="department", region=regions.county))
    assert client.get(reverse("registry:household_list")).status_code == 403


def test_detail_shows_masked_ids_and_phones_only(client, town):
    client.force_login(town.town_a)
    response = client.get(reverse("registry:household_detail", args=["H-A-1"]))
    body = response.content.decode()
    assert response.status_code == 200
    for person in Person.objects.filter(household=town.home):
        assert person.id_number not in body
        assert person.id_number[:6] + "********" + person.id_number[-4:] in body
    assert "13812345678" not in body
    assert "138****5678" in body
    assert "王一" in body and "李二" in body


def test_detail_marks_years_below_the_poverty_line(client, town):
    client.force_login(town.town_a)
    response = client.get(reverse("registry:household_detail", args=["H-A-1"]))
    below = {y.income.year: y.below_line for y in response.context["incomes"]}
    assert below == {2019: True, 2020: False}
    assert 'data-year="2019"' in response.content.decode().split("data-below-line")[1][:40]


def test_detail_strikes_through_members_who_left(client, town):
    PersonFactory(
        household=town.home,
        name="王老",
        relation="father",
        left_on="2020-03-01",
        left_reason="deceased",
    )
    client.force_login(town.town_a)
    body = client.get(reverse("registry:household_detail", args=["H-A-1"])).content.decode()
    assert "<del>王老</del>" in body
    assert "2020-03-01" in body and "死亡" in body


def test_detail_out_of_scope_is_404(client, town):
    client.force_login(town.town_a)
    assert client.get(reverse("registry:household_detail", args=["H-B-1"])).status_code == 404
    assert client.get(reverse("registry:household_detail", args=["NO-SUCH"])).status_code == 404


def test_detail_timeline_shows_field_changes_with_who(client, town):
    household = Household.objects.get(household_no="H-A-1")
    household.main_cause = "disaster"
    household._history_user = town.county
    household.save()
    client.force_login(town.town_a)
    timeline = client.get(reverse("registry:household_detail", args=["H-A-1"])).context["timeline"]
    change = next(e for e in timeline if e.changes and e.kind == "history")
    assert change.who == "county"
    assert [(ch.label, ch.old, ch.new) for ch in change.changes] == [
        ("主要致贫原因", "因病", "因灾")
    ]


def test_reveal_returns_full_id_and_records_an_event(client, town):
    client.force_login(town.town_a)
    url = reverse("registry:person_reveal", args=["H-A-1", town.head.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert town.head.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = Event.objects.get(verb="person.id_revealed")
    assert (event.actor, event.object_id, event.region_code) == (
        town.town_a,
        str(town.head.pk),
        "370481101201",
    )
    assert town.head.id_number not in str(event.data)
    timeline = client.get(reverse("registry:household_detail", args=["H-A-1"])).context["timeline"]
    assert any(e.kind == "event" and e.action == "查看完整证件号码" for e in timeline)


def test_reveal_is_refused_to_roles_without_the_permission(client, town):
    client.force_login(town.cadre)
    detail = client.get(reverse("registry:household_detail", args=["H-A-1"]))
    assert "显示完整证件号" not in detail.content.decode()
    response = client.post(reverse("registry:person_reveal", args=["H-A-1", town.head.pk]))
    assert response.status_code == 403
    assert town.head.id_number not in response.content.decode()
    assert not Event.objects.filter(verb="person.id_revealed").exists()


def test_reveal_out_of_scope_is_404_and_not_logged(client, town):
    client.force_login(town.town_b)
    response = client.post(reverse("registry:person_reveal", args=["H-A-1", town.head.pk]))
    assert response.status_code == 404
    # a member of another household cannot be reached through a household in scope
    away_head = town.away.members.get()
    response = client.post(reverse("registry:person_reveal", args=["H-A-1", away_head.pk]))
    assert response.status_code == 404
    client.force_login(town.town_a)
    response = client.post(reverse("registry:person_reveal", args=["H-A-1", away_head.pk]))
    assert response.status_code == 404
    assert not Event.objects.filter(verb="person.id_revealed").exists()


def test_reveal_needs_post(client, town):
    client.force_login(town.town_a)
    assert (
        client.get(reverse("registry:person_reveal", args=["H-A-1", town.head.pk])).status_code
        == 405
    )


def test_home_cards_link_to_the_filtered_list(client, town):
    client.force_login(town.town_a)
    body = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("registry:household_list")}?category=not_lifted"' in body


def test_anonymous_is_sent_to_login(client, town):
    response = client.get(reverse("registry:household_detail", args=["H-A-1"]))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_home_cards_do_not_link_a_role_to_a_list_it_may_not_open(client, town, regions):
    from fupin.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="dept_home", role="department", region=regions.city))
    page = client.get(reverse("web:home")).content.decode()
    assert "?category=" not in page
