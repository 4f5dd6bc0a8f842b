"""Pages of projects: list and filters, the file with its next moves, operators, review pages."""

import datetime as dt
import io

from openpyxl import load_workbook

from fupin.projects.models import Operator, Project, RectificationPlan
from fupin.projects.tests.factories import licence, operator_qualified, project_in


def _login(client, user):
    client.force_login(user)
    return client


def test_list_filters_and_scope(client, people):
    r = people.regions
    mine = project_in(r.village_a, "operating", name="洪村光伏")
    project_in(r.village_a, "proposed", name="洪村大棚")
    theirs = project_in(r.village_b, "operating", name="沙村鱼塘")
    page = _login(client, people.town).get("/projects/", {"status": "operating"})
    html = page.content.decode()
    assert page.status_code == 200
    assert mine.code in html and "洪村大棚" not in html and theirs.code not in html
    assert (
        _login(client, people.town).get("/projects/", {"region": r.town_b.code}).status_code == 404
    )
    county = _login(client, people.county).get("/projects/", {"region": r.town_b.code})
    assert theirs.code in county.content.decode() and mine.code not in county.content.decode()


def test_the_file_shows_the_moves_of_the_viewers_role(client, people):
    project = project_in(people.regions.village_a, "proposed")
    town = _login(client, people.town).get(f"/projects/{project.pk}/").content.decode()
    assert 'data-move="screened"' in town and 'data-move="rejected"' in town
    village = _login(client, people.village).get(f"/projects/{project.pk}/").content.decode()
    assert "data-move=" not in village
    assert _login(client, people.town_b).get(f"/projects/{project.pk}/").status_code == 404


def test_a_move_from_the_page_with_its_record_and_a_refusal_as_a_message(client, people):
    project = project_in(people.regions.village_a, "proposed")
    c = _login(client, people.town)
    refused = c.post(f"/projects/{project.pk}/move/", {"to": "screened"}, follow=True)
    assert "opinion" in refused.content.decode()
    project.refresh_from_db()
    assert project.status == "proposed"
    c.post(f"/projects/{project.pk}/move/", {"to": "screened", "opinion": "符合条件"})
    project.refresh_from_db()
    assert project.status == "screened"
    assert "意见：符合条件" in c.get(f"/projects/{project.pk}/").content.decode()
    wrong = c.post(f"/projects/{project.pk}/move/", {"to": "appraised", "opinion": "可"})
    assert wrong.status_code == 403


def test_propose_from_the_page(client, people):
    c = _login(client, people.village)
    form = c.get("/projects/new/")
    assert form.status_code == 200
    response = c.post(
        "/projects/new/",
        {
            "region_code": people.regions.village_a.code,
            "name": "小杂粮加工",
            "category": "industry",
            "year": 2024,
            "total_investment": "150000",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert _login(client, people.county).get("/projects/new/").status_code == 403


def test_operator_page_refuses_a_bad_credit_code_and_the_county_qualifies(client, people):
    c = _login(client, people.town)
    bad = c.post(
        "/projects/operators/",
        {
            "name": "坏号合作社",
            "kind": "cooperative",
            "licence_no": "913704810000000001",
            "registered_capital": "100000",
            "credit_clean": "on",
        },
    )
    assert bad.status_code == 422
    assert "统一社会信用代码不正确" in bad.content.decode()
    good = c.post(
        "/projects/operators/",
        {
            "name": "好合作社",
            "kind": "cooperative",
            "licence_no": licence(7),
            "registered_capital": "100000",
            "credit_clean": "on",
        },
    )
    assert good.status_code == 302
    operator = Operator.objects.get()
    assert operator.region == people.regions.town_a
    assert c.post(f"/projects/operators/{operator.pk}/qualify/").status_code == 403
    _login(client, people.county).post(f"/projects/operators/{operator.pk}/qualify/")
    operator.refresh_from_db()
    assert operator.qualified_by == people.county


def test_contract_beneficiaries_and_plan_forms(client, people):
    from fupin.registry.tests.factories import HouseholdFactory

    r = people.regions
    project = project_in(r.village_a, "accepted")
    operator = operator_qualified(r.town_a)
    c = _login(client, people.town)
    c.post(
        f"/projects/{project.pk}/contracts/",
        {
            "operator": operator.pk,
            "kind": "lease",
            "start_date": "2024-01-01",
            "annual_amount": "5000",
        },
    )
    assert project.contracts.get().operator == operator
    HouseholdFactory(village=r.village_a, household_no="A1")
    c.post(f"/projects/{project.pk}/beneficiaries/", {"year": 2024, "lines": "A1,3\n"})
    assert project.beneficiaries.get().persons == 3
    page = c.get(f"/projects/{project.pk}/").content.decode()
    assert "2024 年 1 户 3 人" in page
    weak = project_in(r.village_a, "weak")
    c.post(
        f"/projects/{weak.pk}/plans/",
        {
            "measures": ["capital_injection", "cooperative"],
            "deadline": "2099-01-01",
            "responsible_name": "王主任",
        },
    )
    plan = RectificationPlan.objects.get()
    assert plan.kind == "rectification" and plan.measures == ["capital_injection", "cooperative"]


def test_review_pages_chart_export_and_overdue_plans(client, people):
    r = people.regions
    idle = project_in(r.village_a, "operating", name="闲置大棚")
    RectificationPlan.objects.create(
        project=project_in(r.village_a, "weak"),
        kind="rectification",
        measures=["change_operator"],
        deadline=dt.date(2020, 1, 1),
        responsible_name="李主任",
    )
    c = _login(client, people.county)
    ran = c.post("/projects/reviews/", {"region": r.county.code, "year": 2024})
    assert ran.status_code == 302
    review_id = int(ran["Location"].rstrip("/").split("/")[-1])
    page = c.get(ran["Location"]).content.decode()
    assert '<svg id="review-chart"' in page
    assert f'data-project="{idle.code}"' in page
    assert 'data-verdict="idle"' in page
    assert "李主任" in page
    export = c.get(f"/projects/reviews/{review_id}/export/")
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["回头看结果", "逾期方案"]
    assert _login(client, people.town).get(f"/projects/reviews/{review_id}/").status_code == 404
    assert (
        _login(client, people.town)
        .post("/projects/reviews/", {"region": r.town_a.code, "year": 2024})
        .status_code
        == 403
    )
    overdue = c.get("/projects/plans/overdue/").content.decode()
    assert "李主任" in overdue


def test_beneficiary_counts_page(client, people):
    page = _login(client, people.county).get("/projects/beneficiaries/", {"year": 2024})
    assert page.status_code == 200
    assert people.regions.town_a.name in page.content.decode()
    assert (
        _login(client, people.town)
        .get("/projects/beneficiaries/", {"region": people.regions.town_b.code})
        .status_code
        == 404
    )


def test_admin_never_deletes_and_moves_only_through_the_service(people):
    from django.contrib.admin import site
    from django.test import RequestFactory

    from fupin.projects import models

    request = RequestFactory().get("/admin/")
    request.user = people.city
    for model in (
        models.Project,
        models.ProjectMove,
        models.Operator,
        models.OperatingContract,
        models.ProjectBeneficiary,
        models.RectificationPlan,
        models.ProjectReview,
        models.ReviewResult,
    ):
        assert site._registry[model].has_delete_permission(request) is False
    assert "status" in site._registry[models.Project].readonly_fields
    assert site._registry[models.ProjectMove].has_change_permission(request) is False


def test_the_household_file_lists_the_projects_it_benefits_from(client, people):
    from fupin.projects.services import beneficiaries_add
    from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

    r = people.regions
    home = HouseholdFactory(village=r.village_a, household_no="3704811012010099")
    PersonFactory(household=home)
    project = project_in(r.village_a, "operating", name="洪村光伏电站")
    beneficiaries_add(
        project=project, year=2024, households=[(home.household_no, 2)], actor=people.village
    )
    page = _login(client, people.town).get(f"/households/{home.household_no}/").content.decode()
    assert 'id="household-projects"' in page and "洪村光伏电站" in page


def test_the_list_totals_and_its_excel_follow_the_filters(client, people):
    r = people.regions
    project_in(r.village_a, "operating", total_investment="100000.00")
    project_in(r.village_a, "operating", total_investment="250000.50")
    project_in(r.village_a, "proposed", total_investment="999.00")
    c = _login(client, people.town)
    page = c.get("/projects/", {"status": "operating"}).content.decode()
    assert "350,000.50" in page and "24,000.00" in page
    export = c.get("/projects/", {"status": "operating", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "项目编号"
    assert len(rows) == 3 and {row[6] for row in rows[1:]} == {"运营"}
    assert sum(row[7] for row in rows[1:]) == 350000.5
