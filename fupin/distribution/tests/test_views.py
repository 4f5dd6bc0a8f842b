"""Pages of the distribution: list and draft, a plan's steps, the fund ledger, the household file."""

import pytest
from django.urls import reverse

from fupin.distribution.models import DistributionPlan
from fupin.distribution.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_a_village_officer_drafts_resolves_and_notices_then_the_town_pays(client, village):
    login(client, village.village_officer)
    page = client.get(reverse("distribution:list"))
    assert page.status_code == 200
    assert "draft-form" in page.content.decode()
    response = client.post(
        reverse("distribution:draft"),
        {"village_code": village.code, "year": YEAR, "amount": "10000"},
    )
    plan = DistributionPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("distribution:detail", args=[plan.pk])
    detail = client.get(response.url).content.decode()
    assert 'data-household="HA1"' in detail and "3,956.75" in detail
    assert "resolve-form" in detail and "effect-form" not in detail
    download = client.get(reverse("distribution:csv", args=[plan.pk]))
    assert download.content.decode().splitlines() == [
        "household_no,amount",
        "HA1,3956.75",
        "HA2,1478.38",
        "HA3,1564.87",
    ]

    def step(name, data):
        return client.post(reverse("distribution:step", args=[plan.pk, name]), data)

    step("resolve", {"resolution_id": village.resolution.pk})
    step("notice", {"started_on": "2021-03-02"})
    plan.refresh_from_db()
    assert plan.status == "noticed"
    assert step("effect", {"on": "2021-03-09"}).status_code == 403  # the town's step

    login(client, village.town_officer)
    response = step("effect", {"on": "2021-03-08"})  # the notice runs to 8 March
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("notice_running" in m for m in messages)
    step("effect", {"on": "2021-03-09"})
    step("pay", {"paid_on": "2021-03-10", "voucher_no": "付-1", "household_no": ["HA3"]})
    plan.refresh_from_db()
    assert plan.status == "effective"
    assert plan.lines.get(household__household_no="HA3").paid
    step("pay", {"paid_on": "2021-03-11", "voucher_no": "付-2"})
    plan.refresh_from_db()
    assert plan.status == "paid"

    fund = client.get(reverse("distribution:fund", args=[village.code])).content.decode()
    assert "1,000.00" in fund and "fund-form" in fund
    response = client.post(
        reverse("distribution:fund", args=[village.code]),
        {
            "date": "2021-04-01",
            "kind": "out",
            "amount": "250",
            "reason": "村道修缮",
            "voucher_no": "付-9",
        },
    )
    assert response.status_code == 302
    assert (
        '<span class="fw-semibold" id="balance">750.00</span>'
        in client.get(response.url).content.decode()
    )

    listing = client.get(reverse("distribution:list")).content.decode()
    assert f'<tr data-village="{village.code}">' in listing and "750.00" in listing

    household = client.get(reverse("registry:household_detail", args=["HA1"])).content.decode()
    assert 'id="distributions"' in household
    assert f'data-year="{YEAR}"' in household and "3,956.75" in household


def test_out_of_scope_pages_are_not_found(client, village):
    login(client, village.town_officer)
    client.post(
        reverse("distribution:draft"),
        {"village_code": village.code, "year": YEAR, "amount": "100"},
    )
    plan = DistributionPlan.objects.get()
    login(client, village.other_village_officer)
    assert client.get(reverse("distribution:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("distribution:csv", args=[plan.pk])).status_code == 404
    assert client.get(reverse("distribution:fund", args=[village.code])).status_code == 404
    assert client.get(reverse("distribution:list"), {"region": village.code}).status_code == 404
    assert "data-plan=" not in client.get(reverse("distribution:list")).content.decode()


def test_a_bad_draft_shows_the_error_on_the_form(client, village):
    login(client, village.village_officer)
    response = client.post(
        reverse("distribution:draft"),
        {"village_code": village.code, "year": YEAR, "amount": "-1"},
    )
    assert response.status_code == 422
    assert "amount_negative" in response.content.decode()
    assert not DistributionPlan.objects.exists()


def test_a_cadre_sees_no_distribution(client, village):
    login(client, village.cadre)
    assert client.get(reverse("distribution:list")).status_code == 403
    household = client.get(reverse("registry:household_detail", args=["HA1"])).content.decode()
    assert 'id="distributions"' not in household
