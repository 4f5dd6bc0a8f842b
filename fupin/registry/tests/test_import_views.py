"""The import page: upload, counts or problems, and the problem report for its uploader only."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.registry.models import Household, HouseholdIncome, Person
from fupin.registry.tests.factories import id_number

pytestmark = pytest.mark.django_db

HEADER = "户编号,行政区划代码,证件号码,姓名,与户主关系,联系电话,贫困状态,户属性,主要致贫原因\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _households_csv(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "农户.csv", (HEADER + "".join(rows)).encode("utf-8-sig"), content_type="text/csv"
    )


def _good_rows(village="370481101201") -> list[str]:
    return [
        f"N-1,{village},{id_number(500)},周大,户主,13900001111,未脱贫,低保户,因病\n",
        f"N-1,{village},{id_number(501)},吴二,配偶,,,,\n",
    ]


def _upload(client, user, upload, kind="households"):
    client.force_login(user)
    return client.post(reverse("registry:household_import"), {"kind": kind, "file": upload})


def test_clean_file_is_imported_and_counted(client, town, media):
    response = _upload(client, town.town_a, _households_csv(*_good_rows()))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok and result.created >= 1
    assert 'id="import-ok"' in response.content.decode()
    household = Household.objects.get(household_no="N-1")
    assert sorted(household.members.values_list("name", flat=True)) == ["吴二", "周大"]
    # the uploaded sheet (personal data) is not kept once imported
    assert not [p for p in Path(media).rglob("upload*")]
    again = _upload(client, town.town_a, _households_csv(*_good_rows())).context["result"]
    assert (again.ok, again.created, again.updated) == (True, 0, 0)


def test_wrong_file_lists_problems_writes_nothing_and_offers_the_report(client, town):
    good_id = id_number(502)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    rows = [*_good_rows(), f"N-2,370481101201,{bad_id},郑三,户主,,未脱贫,一般户,\n"]
    response = _upload(client, town.town_a, _households_csv(*rows))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-failed"' in body
    problems = response.context["problems"]
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "证件号码", bad_id)]
    assert "校验位" in body
    assert not Household.objects.filter(household_no__in=["N-1", "N-2"]).exists()
    report = client.get(response.context["report_url"])
    assert report.status_code == 200
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert bad_id in text and "4" in text.splitlines()[1]
    # the report belongs to its uploader: another officer (even a superior) gets 404
    client.force_login(town.county)
    assert client.get(response.context["report_url"]).status_code == 404


def test_village_outside_the_scope_is_a_problem(client, town):
    response = _upload(client, town.town_a, _households_csv(*_good_rows(village="370481102201")))
    assert not response.context["result"].ok
    assert {p.column for p in response.context["problems"]} == {"行政区划代码"}
    assert not Household.objects.filter(household_no="N-1").exists()


def test_incomes_are_imported(client, town):
    upload = SimpleUploadedFile(
        "收入.csv",
        "户编号,年度,工资性收入,生产经营性收入,财产性收入,转移性收入,生产经营性支出\n"
        "H-A-1,2021,8000,1000,0,600,200\n".encode(),
        content_type="text/csv",
    )
    result = _upload(client, town.town_a, upload, kind="incomes").context["result"]
    assert result.ok
    income = HouseholdIncome.objects.get(household=town.home, year=2021)
    assert income.net == 9400


def test_other_file_types_are_refused_before_import(client, town):
    upload = SimpleUploadedFile("农户.txt", b"x", content_type="text/plain")
    response = _upload(client, town.town_a, upload)
    assert response.context["result"] is None
    assert response.context["form"].errors["file"]


def test_roles_without_import_are_refused(client, town):
    response = _upload(client, town.cadre, _households_csv(*_good_rows()))
    assert response.status_code == 403
    assert not Person.objects.filter(name="周大").exists()


def test_report_token_must_be_well_formed(client, town):
    client.force_login(town.town_a)
    assert (
        client.get(reverse("registry:import_report", args=["..%2F..%2Fsecret"])).status_code == 404
    )
    assert client.get(reverse("registry:import_report", args=["0" * 32])).status_code == 404
