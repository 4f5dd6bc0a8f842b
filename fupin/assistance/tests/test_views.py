"""Pages of assistance plans: the household file's section and the plan page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fupin.assistance.models import AssistancePlan, Measure
from fupin.assistance.tests.factories import MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _file(client, user, household_no="H-A-1") -> str:
    client.force_login(user)
    response = client.get(reverse("registry:household_detail", args=[household_no]))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    match = re.search(r'<section class="mb-4" id="assistance-plan".*?</section>', page, re.S)
    assert match, "the household file has no plan section"
    return match.group(0)


def _plan_url(household_no="H-A-1") -> str:
    return reverse("assistance:plan", args=[household_no])


def test_the_household_file_shows_the_plan_and_its_measures(client, village, today):
    plan = PlanFactory(
        household=village.home, due_date=today + dt.timedelta(days=3), responsible_name="钱五"
    )
    MeasureFactory(
        plan=plan,
        category="skills_training",
        trade="电焊工",
        amount="1500",
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 6, 30),
        responsible_name="孙六",
        status="in_progress",
    )

    section = _section(_file(client, village.auditor))

    for text in ("帮扶计划", "技能培训", "电焊工", "1,500.00", "2025-03-01", "2025-06-30"):
        assert text in section, text
    assert "孙六" in section and "钱五" in section and "实施中" in section
    assert (today + dt.timedelta(days=3)).isoformat() in section
    assert "data-overdue" not in section and "已逾期" not in section
    assert 'id="plan-edit"' not in section  # the auditor only reads


def test_the_plan_names_the_cadre_the_file_names(client, village, today):
    """Issue 10, defect 20: the plan said 帮扶责任人：— below a file that names the cadre."""
    from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory

    unit = AidUnitFactory(region=village.regions.county, name="滕州市财政局")
    PairingFactory(household=village.home, cadre=CadreFactory(name="钱干部", unit=unit))
    PlanFactory(household=village.home, due_date=today + dt.timedelta(days=30))

    page = _file(client, village.officer)

    assert "钱干部（滕州市财政局）" in page.split('id="assistance-plan"')[0]
    responsible = re.search(r'id="plan-responsible">(.*?)</span>', _section(page), re.S)
    assert responsible and "钱干部" in responsible.group(1)
    assert "帮扶责任人：—" not in re.sub(r"\s+", "", _section(page))
    plan_page = client.get(_plan_url()).content.decode()
    assert "钱干部（滕州市财政局）" in plan_page.split('id="plan-cadres"')[1].split("</p>")[0]


def test_an_overdue_plan_is_highlighted(client, village, today):
    plan = PlanFactory(household=village.home, due_date=today - dt.timedelta(days=1))
    MeasureFactory(plan=plan, status="cancelled")

    section = _section(_file(client, village.officer))

    assert "data-overdue" in section
    assert "已逾期" in section and "text-danger" in section


def test_a_household_that_needs_a_plan_says_so_and_offers_to_make_one(client, village):
    section = _section(_file(client, village.cadre))

    assert 'id="plan-missing"' in section
    assert _plan_url() in section and "建立帮扶计划" in section


def test_the_plan_page_is_for_the_roles_that_keep_plans(client, village):
    for user in (village.officer, village.cadre, village.town_a, village.county):
        client.force_login(user)
        assert client.get(_plan_url()).status_code == 200, user.username
    client.force_login(village.auditor)
    assert client.get(_plan_url()).status_code == 403
    client.force_login(village.town_b)
    assert client.get(_plan_url()).status_code == 404
    client.logout()
    assert client.get(_plan_url()).status_code == 302


def test_the_plan_page_creates_the_plan(client, village):
    client.force_login(village.officer)

    response = client.post(
        _plan_url(), {"responsible_name": "", "responsible_user": village.cadre.pk, "note": "养牛"}
    )

    assert response.status_code == 302
    plan = AssistancePlan.objects.get(household=village.home)
    assert plan.responsible_user == village.cadre and plan.responsible_name == "cadre_a"
    assert plan.note == "养牛"
    page = client.get(_plan_url()).content.decode()
    assert 'id="measure-add"' in page and "帮扶计划已建立" in page  # the event, in the record


def test_the_plan_form_offers_only_accounts_that_may_keep_the_plan(client, village):
    client.force_login(village.officer)
    page = client.get(_plan_url()).content.decode()

    assert f'value="{village.cadre.pk}"' in page
    assert f'value="{village.town_a.pk}"' in page
    assert f'value="{village.town_b.pk}"' not in page
    assert f'value="{village.auditor.pk}"' not in page


def test_the_plan_page_adds_a_measure(client, village):
    PlanFactory(household=village.home)
    client.force_login(village.cadre)

    response = client.post(
        reverse("assistance:measure_new", args=["H-A-1"]),
        {
            "category": "public_welfare_post",
            "description": "护林员",
            "amount": "500.00",
            "start_date": "2025-01-01",
            "end_date": "",
            "responsible_name": "钱五",
        },
    )

    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.category == "public_welfare_post" and measure.status == "planned"
    page = client.get(_plan_url()).content.decode()
    assert "公益岗位" in page and "护林员" in page and "开始实施" in page


def test_a_bad_measure_is_shown_back_with_the_field_errors(client, village):
    PlanFactory(household=village.home)
    client.force_login(village.officer)

    response = client.post(
        reverse("assistance:measure_new", args=["H-A-1"]),
        {
            "category": "skills_training",
            "trade": "",
            "amount": "-3",
            "start_date": "2025-03-02",
            "end_date": "2025-03-01",
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-field-error="trade"' in page
    assert 'data-field-error="amount"' in page
    assert 'data-field-error="end_date"' in page
    assert "技能培训须填写农户希望学习的工种" in page
    assert not Measure.objects.exists()


def test_measures_move_through_the_page(client, village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    client.force_login(village.cadre)
    url = reverse("assistance:measure_status", args=["H-A-1", measure.pk])

    assert client.post(url, {"status": "in_progress"}).status_code == 302
    measure.refresh_from_db()
    assert measure.status == "in_progress"

    response = client.post(url, {"status": "cancelled", "note": ""}, follow=True)
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert "取消措施须说明原因" in response.content.decode()

    response = client.post(url, {"status": "planned"}, follow=True)
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert "不能从" in response.content.decode()

    client.post(url, {"status": "cancelled", "note": "农户外出务工"})
    measure.refresh_from_db()
    assert measure.status == "cancelled"
    page = client.get(_plan_url()).content.decode()
    assert "农户外出务工" in page  # the reason, in the record of the plan


def test_the_auditor_cannot_move_or_edit_a_measure(client, village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home))
    client.force_login(village.auditor)

    url = reverse("assistance:measure_status", args=["H-A-1", measure.pk])
    assert client.post(url, {"status": "in_progress"}).status_code == 403
    edit = reverse("assistance:measure_edit", args=["H-A-1", measure.pk])
    assert client.post(edit, {"category": "health"}).status_code == 403
    measure.refresh_from_db()
    assert measure.status == "planned" and measure.category == "industry"


def test_the_measure_edit_page(client, village):
    measure = MeasureFactory(plan=PlanFactory(household=village.home), amount="10")
    client.force_login(village.officer)
    url = reverse("assistance:measure_edit", args=["H-A-1", measure.pk])

    page = client.get(url).content.decode()
    assert 'value="10.00"' in page and "发展肉牛养殖" in page

    response = client.post(
        url, {"category": "industry", "description": "养羊", "amount": "20", "start_date": ""}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.description == "养羊" and str(measure.amount) == "20.00"

    other = MeasureFactory(plan=PlanFactory(household=village.away))
    bad = reverse("assistance:measure_edit", args=["H-A-1", other.pk])
    assert client.get(bad).status_code == 404
