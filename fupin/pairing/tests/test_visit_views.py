import datetime as dt
import re

import pytest
from django.utils import timezone

from fupin.accounts.tests.factories import UserFactory
from fupin.pairing.models import RoundVisit, Visit
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def field(regions):
    """A cadre with a login and two households: one visited today, one never visited (overdue)."""
    login = UserFactory(username="cadre1", role="cadre", region=regions.county)
    cadre = CadreFactory(user=login, unit=AidUnitFactory(region=regions.county))
    seen = HouseholdFactory(village=regions.village_a, household_no="H-SEEN")
    PersonFactory(household=seen, name="周户主", relation="head")
    late = HouseholdFactory(village=regions.village_b, household_no="H-LATE")
    for household in (seen, late):
        PairingFactory(cadre=cadre, household=household, start_date=dt.date(2020, 1, 1))
    now = timezone.now()
    Visit.objects.create(
        cadre=cadre,
        household=seen,
        visited_at=now,
        visited_on=timezone.localdate(now),
        found="看望",
        idempotency_key="seen",
    )
    regions.login, regions.cadre = login, cadre
    return regions


def test_the_cadre_page_lists_my_households_overdue_first(client, field):
    client.force_login(field.login)
    response = client.get("/pairing/my/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('data-household="H-LATE"') < html.index('data-household="H-SEEN"')
    assert "周户主" in html and 'id="visit-form"' in html
    assert "我的走访" in html  # in the navigation of a cadre
    worker = client.get("/pairing/my/sw.js")
    assert worker.status_code == 200
    assert "fupin-visits-" in worker.content.decode()
    assert "/pairing/my/" in worker.content.decode()


def test_the_visit_worker_keeps_every_file_the_page_loads(client, field):
    client.force_login(field.login)
    html = client.get("/pairing/my/").content.decode()
    worker = client.get("/pairing/my/sw.js").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    # The shared offline module comes before the page's script, which uses it as it runs.
    assert scripts.index("/static/web/offline.js") < scripts.index("/static/pairing/visit.js")
    for url in scripts + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html):
        assert f'"{url}"' in worker, url


def test_an_officer_without_a_cadre_gets_a_notice(client, field):
    client.force_login(UserFactory(role="town_officer", region=field.town_a))
    response = client.get("/pairing/my/")
    assert 'id="no-cadre"' in response.content.decode()
    assert 'href="/pairing/my/"' not in response.content.decode()  # not in the navigation


def test_the_visits_page_drills_down_and_stays_in_scope(client, field):
    county = UserFactory(role="county_officer", region=field.county)
    client.force_login(county)
    html = client.get("/pairing/visits/").content.decode()
    assert 'data-region="370481102000"' in html
    assert 'data-household="H-LATE"' in html and 'data-household="H-SEEN"' not in html
    town = client.get("/pairing/visits/", {"region": field.town_b.code}).content.decode()
    assert 'data-region="370481102201"' in town
    client.force_login(UserFactory(role="town_officer", region=field.town_a))
    assert client.get("/pairing/visits/", {"region": field.town_b.code}).status_code == 404
    assert 'data-household="H-LATE"' not in client.get("/pairing/visits/").content.decode()


def test_a_leader_records_a_round_visit_and_officers_see_progress(client, field):
    Region.objects.filter(pk=field.village_a.pk).update(is_key=True)
    leader = UserFactory(role="county_officer", region=field.county, position="county_secretary")
    client.force_login(leader)
    page = client.get("/pairing/rounds/").content.decode()
    assert f'data-target="{field.village_a.code}"' in page
    response = client.post(
        "/pairing/rounds/record/",
        {
            "target": f"region:{field.village_a.code}",
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "notes": "调研",
            "key": "round-1",
        },
    )
    assert response.status_code == 302
    assert RoundVisit.objects.get().region_id == field.village_a.code
    refused = client.post(
        "/pairing/rounds/record/",
        {
            "target": f"region:{field.village_b.code}",
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "key": "round-2",
        },
        follow=True,
    )
    assert "不在您的遍访对象之内" in refused.content.decode()
    client.force_login(UserFactory(role="town_officer", region=field.town_a))
    assert (
        client.post(
            "/pairing/rounds/record/",
            {
                "target": f"region:{field.village_b.code}",
                "visited_at": "2024-01-01T10:00",
            },
        ).status_code
        == 404
    )
    client.force_login(UserFactory(role="city_admin", region=field.city))
    progress = client.get("/pairing/rounds/").content.decode()
    assert f'data-leader="{leader.pk}"' in progress and "100%" in progress


def test_the_household_file_shows_its_visits_and_whether_it_is_overdue(client, field):
    client.force_login(UserFactory(role="town_officer", region=field.town_a))
    page = client.get("/households/H-SEEN/").content.decode()
    assert 'id="household-visits"' in page and "看望" in page
    assert "共 1 次" in page and "data-overdue" not in page.split('id="household-visits"')[1]
    client.force_login(UserFactory(role="town_officer", region=field.town_b))
    late = client.get("/households/H-LATE/").content.decode().split('id="household-visits"')[1]
    assert "尚未走访" in late and "data-overdue" in late


def test_an_officer_records_a_paper_visit_from_the_household_file_once(client, field):
    officer = UserFactory(role="village_officer", region=field.village_b)
    client.force_login(officer)
    page = client.get("/households/H-LATE/").content.decode()
    assert 'id="record-visit"' in page
    body = {
        "cadre_id": field.cadre.pk,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "found": "电话回访：身体好转",
        "key": "paper-1",
    }
    for _ in range(2):  # the same form sent twice
        response = client.post("/pairing/households/H-LATE/visits/", body)
        assert response.status_code == 302
    visit = Visit.objects.get(household__household_no="H-LATE")
    assert (visit.cadre, visit.recorded_by) == (field.cadre, officer)
    empty = client.post("/pairing/households/H-LATE/visits/", {**body, "found": "", "key": "p2"})
    assert (
        empty.status_code == 302
        and Visit.objects.filter(household__household_no="H-LATE").count() == 1
    )
    # out of scope: not found; a cadre has no such form
    assert (
        client.post("/pairing/households/H-SEEN/visits/", {**body, "key": "p3"}).status_code == 404
    )
    client.force_login(field.login)
    assert 'id="record-visit"' not in client.get("/households/H-LATE/").content.decode()
    assert (
        client.post("/pairing/households/H-LATE/visits/", {**body, "key": "p4"}).status_code == 403
    )


def test_the_household_file_lists_its_visits_newest_first(client, field):
    """Issue 10, defect 8: with photo counts, the visits came in no order (Meta.ordering is not
    applied to an aggregate query)."""
    seen = Household.objects.get(household_no="H-SEEN")
    for n, day in enumerate((dt.date(2024, 3, 1), dt.date(2025, 3, 1), dt.date(2023, 3, 1))):
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        Visit.objects.create(
            cadre=field.cadre,
            household=seen,
            visited_at=at,
            visited_on=day,
            found=f"第{n}次",
            idempotency_key=f"old-{n}",
        )
    officer = UserFactory(role="village_officer", region=field.village_a)
    client.force_login(officer)
    html = client.get("/households/H-SEEN/").content.decode()
    section = html.split('id="household-visits"')[1].split("</section>")[0]
    days = re.findall(r'<li data-visit-id="\d+">(\d{4}-\d\d-\d\d)', section)
    assert days == sorted(days, reverse=True) and len(days) == 4
