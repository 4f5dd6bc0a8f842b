"""Exports from the web (defect 18): the household list's and file's export and print buttons,
the POST exports (the list's filters, the user's scope, IDs masked unless asked and allowed, the
full export recorded) and the import template with its drop-down lists, filled and imported."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from fupin.accounts.tests.factories import UserFactory
from fupin.core.models import Event
from fupin.registry.importing import household_allowed_labels
from fupin.registry.models import Household, Person
from fupin.registry.services import household_import
from fupin.registry.tests.factories import HouseholdFactory, IncomeFactory, PersonFactory
from fupin.registry.tests.test_import import HEADER, VILLAGE_A, pid

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-9"
LIST_EXPORT = "/households/export.xlsx"
TEMPLATE = "/households/import/template.xlsx"
EXPORTED = "registry.households_exported"
# The import's coded columns: each offers its accepted labels as a drop-down list.
CODED = {
    "与户主关系": "relation",
    "贫困状态": "poverty_status",
    "是否享受政策": "policy_support",
    "户属性": "household_type",
    "监测类型": "monitoring_type",
    "风险状态": "risk_state",
    "主要致贫原因": "main_cause",
    "健康状况": "health",
    "残疾等级": "disability_grade",
    "劳动能力": "labor_ability",
    "在校生状况": "schooling",
}
# Columns typed by hand whose digits must stay as typed: text cells.
TEXT = ("户编号", "行政区划代码", "证件号码", "联系电话")


@pytest.fixture
def people(regions):
    """Two households in town A (a 低保户 with incomes, a 一般户), a 低保户 in town B, and users."""
    home = HouseholdFactory(
        village=regions.village_a, household_no="A1", household_type="dibao", main_cause="illness"
    )
    head = PersonFactory(household=home, name="王一", relation="head", phone="13812345678")
    spouse = PersonFactory(household=home, name="李二", relation="spouse")
    IncomeFactory(household=home, year=2019, wage=1000, business=0, transfer=500)
    IncomeFactory(household=home, year=2020, wage=20000, business=0, transfer=0)
    other = HouseholdFactory(village=regions.village_a, household_no="A2", household_type="general")
    PersonFactory(household=other, name="孙四", relation="head")
    away = HouseholdFactory(village=regions.village_b, household_no="B1", household_type="dibao")
    PersonFactory(household=away, name="赵三", relation="head")
    return type(
        "People",
        (),
        {
            "regions": regions,
            "home": home,
            "head": head,
            "spouse": spouse,
            "other": other,
            "away": away,
            # Exports masked only.
            "town": UserFactory(username="town_a", role="town_officer", region=regions.town_a),
            # Exports with full IDs too.
            "county": UserFactory(username="county", role="county_officer", region=regions.county),
            # Reads, may not export.
            "cadre": UserFactory(username="cadre_a", role="cadre", region=regions.village_a),
        },
    )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def workbook_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def records(sheet) -> list[dict]:
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def masked(number: str) -> str:
    return number[:6] + "********" + number[-4:]


# The buttons ---------------------------------------------------------------------------------


def test_the_list_shows_export_and_print_to_an_exporting_role_print_only_to_others(client, people):
    html = login(client, people.town).get("/households/").content.decode()
    assert f'action="{LIST_EXPORT}"' in html and 'id="export-button"' in html
    assert "导出 Excel" in html and 'id="print-button"' in html
    assert 'name="full_ids"' not in html  # a town officer exports masked only
    html = login(client, people.county).get("/households/").content.decode()
    assert 'name="full_ids"' in html and "含完整证件号码（将记录在案）" in html

    html = login(client, people.cadre).get("/households/").content.decode()
    assert 'id="print-button"' in html
    assert 'id="export-button"' not in html and LIST_EXPORT not in html


def test_the_export_form_carries_the_filters_shown_and_the_print_note_names_them(client, people):
    login(client, people.town)
    html = client.get("/households/", {"household_type": "dibao", "q": "王一"}).content.decode()
    form = re.search(r'<form method="post" action="/households/export.xlsx".*?</form>', html, re.S)
    assert form, html
    assert '<input type="hidden" name="household_type" value="dibao">' in form.group()
    assert '<input type="hidden" name="q" value="王一">' in form.group()
    assert 'name="csrfmiddlewaretoken"' in form.group()
    note = re.search(r'<div[^>]*id="print-note"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "户属性：低保户" in note and "姓名、证件号码或户编号：王一" in note
    # The htmx partial (what a change of filters swaps in) carries them too.
    partial = client.get(
        "/households/", {"household_type": "general"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert '<input type="hidden" name="household_type" value="general">' in partial
    # Without a row nothing is offered for export; printing still is.
    empty = client.get("/households/", {"q": "无此人"}).content.decode()
    assert 'id="export-button"' not in empty and 'id="print-button"' in empty


def test_the_file_shows_its_export_and_print(client, people):
    html = login(client, people.town).get("/households/A1/").content.decode()
    assert 'action="/households/A1/export.xlsx"' in html and 'id="print-button"' in html
    html = login(client, people.cadre).get("/households/A1/").content.decode()
    assert "/households/A1/export.xlsx" not in html and 'id="print-button"' in html


def test_the_import_page_links_the_template(client, people):
    html = login(client, people.town).get("/households/import/").content.decode()
    assert f'href="{TEMPLATE}"' in html and "下载农户导入模板" in html


# The list's export ---------------------------------------------------------------------------


def test_the_routes_are_the_registrys_not_the_shells_household_pages():
    assert reverse("registry:household_list_export") == LIST_EXPORT
    assert reverse("registry:import_template") == TEMPLATE
    assert reverse("registry:household_file_export", args=["A1"]) == "/households/A1/export.xlsx"


def test_the_export_holds_the_filtered_households_of_the_scope_masked(client, people):
    response = login(client, people.town).post(LIST_EXPORT, {"household_type": "dibao"})

    rows = records(workbook_of(response).active)
    assert {row["户编号"] for row in rows} == {"A1"}  # not A2 (filtered), not B1 (town B)
    assert [row["姓名"] for row in rows] == ["王一", "李二"]  # the head first
    assert rows[0]["证件号码"] == masked(people.head.id_number)
    assert rows[0]["联系电话"] == "138****5678"
    assert rows[0]["户属性"] == "低保户"
    event = Event.objects.get(verb=EXPORTED)
    assert event.actor == people.town and event.reason == ""
    assert event.data["full_ids"] is False and event.data["rows"] == 2
    assert event.data["filters"] == {"household_type": "dibao"}


def test_the_export_follows_the_region_filter_within_the_scope(client, people):
    login(client, people.county)
    rows = records(workbook_of(client.post(LIST_EXPORT, {"household_type": "dibao"})).active)
    assert {row["户编号"] for row in rows} == {"A1", "B1"}
    rows = records(workbook_of(client.post(LIST_EXPORT, {"code": "370481101"})).active)
    assert {row["户编号"] for row in rows} == {"A1", "A2"}
    # A region outside the user's scope is not found, as on the list.
    assert login(client, people.town).post(LIST_EXPORT, {"code": "370481102"}).status_code == 404


def test_full_ids_only_when_asked_and_allowed_and_recorded(client, people):
    login(client, people.county)
    rows = records(workbook_of(client.post(LIST_EXPORT, {"q": "A1"})).active)
    assert rows[0]["证件号码"] == masked(people.head.id_number)  # allowed, not asked

    rows = records(workbook_of(client.post(LIST_EXPORT, {"q": "A1", "full_ids": "1"})).active)
    assert [row["证件号码"] for row in rows] == [people.head.id_number, people.spouse.id_number]
    assert rows[0]["联系电话"] == "13812345678"
    full = Event.objects.filter(verb=EXPORTED, data__full_ids=True).get()
    assert full.actor == people.county and full.reason == "导出完整证件号码"
    assert full.object_id == people.regions.county.code and full.data["filters"] == {"q": "A1"}

    # A town officer may not ask: 403, nothing sent, nothing recorded.
    before = Event.objects.filter(verb=EXPORTED).count()
    response = login(client, people.town).post(LIST_EXPORT, {"full_ids": "1"})
    assert response.status_code == 403
    assert Event.objects.filter(verb=EXPORTED).count() == before


def test_the_export_is_a_post_of_an_exporting_role(client, people):
    login(client, people.town)
    assert client.get(LIST_EXPORT, {"household_type": "dibao"}).status_code == 405
    assert client.get("/households/A1/export.xlsx").status_code == 405
    assert login(client, people.cadre).post(LIST_EXPORT).status_code == 403
    client.logout()
    assert client.post(LIST_EXPORT).status_code == 302  # to the login page
    assert not Event.objects.filter(verb=EXPORTED).exists()


def test_bad_filters_export_nothing_and_go_back_to_the_list(client, people):
    response = login(client, people.town).post(LIST_EXPORT, {"code": "x", "q": "王"})
    assert response.status_code == 302
    assert response["Location"] == "/households/?code=x&q=%E7%8E%8B"
    assert not Event.objects.filter(verb=EXPORTED).exists()


# The household file's export -----------------------------------------------------------------


def test_the_file_export_holds_its_members_and_incomes(client, people):
    Person.objects.filter(pk=people.spouse.pk).update(left_on="2022-01-01", left_reason="moved")
    book = workbook_of(login(client, people.town).post("/households/A1/export.xlsx"))

    assert book.sheetnames == ["家庭成员", "年度收入"]
    members = records(book["家庭成员"])
    assert [m["姓名"] for m in members] == ["王一"]  # the member who left is not
    assert members[0]["证件号码"] == masked(people.head.id_number)
    incomes = records(book["年度收入"])
    assert [(i["户编号"], i["年度"], i["工资性收入"]) for i in incomes] == [
        ("A1", "2019", "1000"),
        ("A1", "2020", "20000"),
    ]
    event = Event.objects.get(verb=EXPORTED)
    assert (event.object_id, event.data["incomes"], event.data["full_ids"]) == (
        "A1",
        2,
        False,
    )


def test_the_file_export_with_full_ids_and_out_of_region(client, people):
    login(client, people.county)
    book = workbook_of(client.post("/households/A1/export.xlsx", {"full_ids": "1"}))
    assert records(book["家庭成员"])[0]["证件号码"] == people.head.id_number
    assert Event.objects.get(verb=EXPORTED).reason == "导出完整证件号码"

    login(client, people.town)
    assert client.post("/households/B1/export.xlsx").status_code == 404  # town B's
    assert client.post("/households/NONE/export.xlsx").status_code == 404
    assert client.post("/households/A1/export.xlsx", {"full_ids": "1"}).status_code == 403
    assert login(client, people.cadre).post("/households/A1/export.xlsx").status_code == 403


# The import template -------------------------------------------------------------------------


def _list_values(book, formula: str) -> list[str]:
    match = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert match, formula
    title, first_col, first_row, last_col, last_row = match.groups()
    assert first_col == last_col
    sheet = book[title]
    return [sheet[f"{first_col}{n}"].value for n in range(int(first_row), int(last_row) + 1)]


def test_the_template_offers_the_allowed_labels_as_drop_downs(client, people):
    book = workbook_of(login(client, people.town).get(TEMPLATE))

    assert book.sheetnames == ["农户", "填写说明", "可填值"]
    form = book["农户"]
    assert [cell.value for cell in form[1]] == HEADER
    assert form.max_row == 1  # headings only
    assert form.freeze_panes == "A2"
    allowed = household_allowed_labels()
    lists = {}
    for validation in form.data_validations.dataValidation:
        assert validation.type == "list" and validation.allow_blank
        assert validation.showErrorMessage and validation.errorStyle == "stop"
        (cells,) = validation.sqref.ranges
        assert cells.min_row == 2 and cells.max_row == 1_048_576
        lists[HEADER[cells.min_col - 1]] = _list_values(book, validation.formula1)
    assert set(lists) == set(CODED)
    for heading, key in CODED.items():
        assert lists[heading] == allowed[key], heading
    assert lists["户属性"] == ["一般户", "低保户", "特困供养户"]
    assert lists["是否享受政策"] == ["是", "否"]
    for heading in TEXT:
        letter = get_column_letter(HEADER.index(heading) + 1)
        assert form.column_dimensions[letter].number_format == "@", heading


def test_the_template_has_a_notes_sheet_of_every_column(client, people):
    book = workbook_of(login(client, people.town).get(TEMPLATE))
    notes = {row["列名"]: row["填写要求"] for row in records(book["填写说明"])}
    assert list(notes) == HEADER
    assert notes["证件号码"] == "必填" and notes["户属性"] == "户主所在行必填"
    assert notes["联系电话"] == "选填" and notes["健康状况"] == "选填"


def test_the_template_needs_the_import_permission(client, people):
    assert login(client, people.cadre).get(TEMPLATE).status_code == 403
    assert login(client, people.town).post(TEMPLATE).status_code == 405


def test_a_filled_template_imports(client, people, tmp_path):
    book = workbook_of(login(client, people.town).get(TEMPLATE))
    lists = {}
    for validation in book["农户"].data_validations.dataValidation:
        (cells,) = validation.sqref.ranges
        lists[HEADER[cells.min_col - 1]] = _list_values(book, validation.formula1)

    def pick(heading, label):
        assert label in lists[heading], (heading, label)  # a choice of the drop-down
        return label

    rows = [
        {
            "户编号": "T1",
            "行政区划代码": VILLAGE_A,
            "证件号码": pid(501),
            "姓名": "周一",
            "与户主关系": pick("与户主关系", "户主"),
            "联系电话": "13900001111",
            "贫困状态": pick("贫困状态", "已脱贫"),
            "是否享受政策": pick("是否享受政策", "是"),
            "户属性": pick("户属性", "低保户"),
            "主要致贫原因": pick("主要致贫原因", "因病"),
            "健康状况": pick("健康状况", "健康"),
        },
        {
            "户编号": "T1",
            "行政区划代码": VILLAGE_A,
            "证件号码": pid(502),
            "姓名": "吴二",
            "与户主关系": pick("与户主关系", "配偶"),
            "健康状况": pick("健康状况", "残疾"),
            "残疾等级": pick("残疾等级", "二级"),
            "劳动能力": pick("劳动能力", "丧失劳动力"),
        },
    ]
    for row in rows:
        book["农户"].append([row.get(heading) for heading in HEADER])
    book.save(tmp_path / "filled.xlsx")

    result = household_import(path=tmp_path / "filled.xlsx", actor=people.town)

    assert result.ok, result.problems
    household = Household.objects.get(household_no="T1")
    assert (household.village_id, household.household_type, household.policy_support) == (
        VILLAGE_A,
        "dibao",
        True,
    )
    assert (household.poverty_status, household.main_cause) == ("lifted", "illness")
    members = {p.name: p for p in household.members.all()}
    assert members["周一"].id_number == pid(501) and members["周一"].phone == "13900001111"
    assert (members["吴二"].relation, members["吴二"].disability_grade) == ("spouse", 2)
