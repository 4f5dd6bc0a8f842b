import pytest
from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory
from fupin.pairing.models import AllocationRun, Pairing
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, UnitVillageFactory
from fupin.registry.tests.factories import HouseholdFactory, id_number


@pytest.fixture
def county_officer(regions):
    return UserFactory(username="county", role="county_officer", region=regions.county)


@pytest.fixture
def town_officer(regions):
    return UserFactory(username="town_a", role="town_officer", region=regions.town_a)


def test_coverage_page_drills_down(client, regions, county_officer):
    CadreFactory(unit=AidUnitFactory(region=regions.town_a))
    HouseholdFactory(village=regions.village_a)
    client.force_login(county_officer)
    page = client.get(reverse("pairing:coverage")).content.decode()
    assert f'data-region="{regions.town_a.code}"' in page and regions.town_a.name in page
    assert 'id="allocate"' in page
    town = client.get(reverse("pairing:coverage"), {"region": regions.town_a.code})
    assert f'data-region="{regions.village_a.code}"' in town.content.decode()


def test_the_county_officer_presses_the_button_and_sees_the_uncovered(
    client, regions, county_officer
):
    unit = AidUnitFactory(region=regions.county)
    UnitVillageFactory(unit=unit, village=regions.village_a)
    CadreFactory(unit=unit)
    households = [HouseholdFactory(village=regions.village_a) for _ in range(6)]
    client.force_login(county_officer)
    response = client.post(reverse("pairing:allocate"), follow=True)
    run = AllocationRun.objects.get()
    assert response.redirect_chain[-1][0] == reverse("pairing:run_detail", args=[run.pk])
    page = response.content.decode()
    assert '<dd data-count="added">5</dd>' in page
    assert households[5].household_no in page and "本县没有尚有帮扶名额的帮扶责任人" in page
    assert Pairing.objects.active().count() == 5


def test_a_dry_run_from_the_page_writes_no_pairing(client, regions, county_officer):
    CadreFactory(unit=AidUnitFactory(region=regions.county))
    HouseholdFactory(village=regions.village_a)
    client.force_login(county_officer)
    client.post(reverse("pairing:allocate"), {"dry_run": "on"})
    assert AllocationRun.objects.get().dry_run and not Pairing.objects.exists()


def test_a_town_officer_has_no_button_and_cannot_post(client, regions, town_officer):
    client.force_login(town_officer)
    assert 'id="allocate"' not in client.get(reverse("pairing:coverage")).content.decode()
    assert client.post(reverse("pairing:allocate")).status_code == 403
    assert not AllocationRun.objects.exists()


def test_out_of_scope_region_and_run_are_404(client, regions, town_officer, county_officer):
    client.force_login(town_officer)
    response = client.get(reverse("pairing:coverage"), {"region": regions.town_b.code})
    assert response.status_code == 404
    client.force_login(county_officer)
    client.post(reverse("pairing:allocate"))
    run = AllocationRun.objects.get()
    client.force_login(town_officer)
    assert client.get(reverse("pairing:run_detail", args=[run.pk])).status_code == 404


def test_cadre_list_masks_id_numbers_and_unit_list_is_scoped(client, regions, town_officer):
    number = id_number(6001)
    CadreFactory(
        name="王干部",
        id_number=number,
        phone="13912345678",
        unit=AidUnitFactory(region=regions.town_a),
    )
    CadreFactory(name="赵干部", unit=AidUnitFactory(name="南沙河镇单位", region=regions.town_b))
    client.force_login(town_officer)
    page = client.get(reverse("pairing:cadre_list")).content.decode()
    assert "王干部" in page and number not in page and number[:6] in page
    assert "139****5678" in page
    assert "赵干部" not in page
    assert "南沙河镇单位" not in client.get(reverse("pairing:unit_list")).content.decode()


def test_the_household_file_names_its_cadre(client, regions, town_officer):
    household = HouseholdFactory(village=regions.village_a)
    client.force_login(town_officer)
    url = reverse("registry:household_detail", args=[household.household_no])
    assert "尚未结对" in client.get(url).content.decode()
    cadre = CadreFactory(
        name="钱帮扶", unit=AidUnitFactory(name="洪绪镇政府", region=regions.town_a)
    )
    Pairing.objects.create(cadre=cadre, household=household, start_date="2020-01-01")
    page = client.get(url).content.decode()
    assert 'id="household-cadres"' in page and "钱帮扶（洪绪镇政府）" in page
