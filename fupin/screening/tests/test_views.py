"""Screening pages: a department's uploads, a county officer's run with progress and results, scope."""

import datetime as dt
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.models import Case
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory, id_number
from fupin.screening import services
from fupin.screening.models import FeedUpload, ScreeningFlag, ScreeningRun

Y = 2024


def population(*rows: str) -> SimpleUploadedFile:
    text = "户编号,证件号码,姓名,与户主关系,行政区划代码\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("人口.csv", text.encode("utf-8"), content_type="text/csv")


def incomes(*rows: str) -> SimpleUploadedFile:
    text = "household_no,year,wage\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("income.csv", text.encode("utf-8"), content_type="text/csv")


class World:
    """Users of each kind around Tengzhou, and a finished run of Tengzhou with two flags."""

    def __init__(self, regions):
        self.regions = regions
        self.department = UserFactory(username="dept", role="department", region=regions.county)
        self.county = UserFactory(username="county", role="county_officer", region=regions.county)
        self.other_county = UserFactory(
            username="county2", role="county_officer", region=regions.county_2
        )
        self.town = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
        self.household = HouseholdFactory(
            household_no="R1", village=regions.village_a, poverty_status="none"
        )
        PersonFactory(household=self.household, id_number=id_number(1))
        self.run = ScreeningRun.objects.create(
            region=regions.county, year=Y, status="done", summary={"flags": {}}
        )
        for no, village in (("R1", regions.village_a.code), ("N2", regions.village_b.code)):
            ScreeningFlag.objects.create(
                run=self.run,
                household_no=no,
                village_code=village,
                size=1,
                rules="low_income",
                registry_category="ordinary" if no == "R1" else "",
                figures={"net_income": "100.00"},
            )


@pytest.fixture
def world(regions):
    return World(regions)


@pytest.fixture
def inline_runs(monkeypatch):
    """Run screenings in the request's thread, so that the test sees them finished."""
    monkeypatch.setattr(services, "run_launch", lambda run_id: services.run_execute(run_id=run_id))


def _pages(world):
    run = world.run.pk
    return {
        "feed_list": reverse("screening:feed_list"),
        "run_list": reverse("screening:run_list"),
        "run_detail": reverse("screening:run_detail", args=[run]),
        "flag_detail": reverse("screening:flag_detail", args=[run, "R1"]),
        "run_file": reverse("screening:run_file", args=[run, "warnings.csv"]),
    }


def test_every_page_needs_a_login(client, world):
    for name, url in _pages(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("web:login")), name


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        # A town officer neither sends feeds nor runs screenings.
        (
            "town",
            {
                "feed_list": 403,
                "run_list": 403,
                "run_detail": 403,
                "flag_detail": 403,
                "run_file": 403,
            },
        ),
        # A department sends feeds and sees no run.
        (
            "department",
            {
                "feed_list": 200,
                "run_list": 403,
                "run_detail": 403,
                "flag_detail": 403,
                "run_file": 403,
            },
        ),
        # Another county's officer: Tengzhou's run does not exist for them.
        (
            "other_county",
            {
                "feed_list": 403,
                "run_list": 200,
                "run_detail": 404,
                "flag_detail": 404,
                "run_file": 404,
            },
        ),
    ],
)
def test_roles_and_scope(client, world, user, expected):
    client.force_login(getattr(world, user))
    got = {name: client.get(url).status_code for name, url in _pages(world).items()}
    assert got == expected


def test_another_countys_officer_does_not_see_the_run_in_the_list(client, world):
    client.force_login(world.other_county)
    response = client.get(reverse("screening:run_list"))
    assert reverse("screening:run_detail", args=[world.run.pk]) not in response.content.decode()


def test_a_town_outside_the_households_village_hides_the_flag(client, world, regions):
    # The county officer sees both flags; the flag of village B is not in town A's list filter.
    client.force_login(world.county)
    url = reverse("screening:run_detail", args=[world.run.pk])
    assert ">N2</a>" in client.get(url).content.decode()
    assert ">N2</a>" not in client.get(url, {"town": regions.town_a.code}).content.decode()


def test_a_department_uploads_a_feed_for_its_county(client, world, regions):
    client.force_login(world.department)
    response = client.post(
        reverse("screening:feed_list"),
        {"region": regions.county.code, "feed": "population", "file": population()},
    )
    assert response.status_code == 302
    upload = FeedUpload.objects.get()
    assert (upload.region_id, upload.feed, upload.original_name) == (
        regions.county.code,
        "population",
        "人口.csv",
    )
    assert upload.uploaded_by == world.department
    assert "人口.csv" in client.get(reverse("screening:feed_list")).content.decode()


def test_an_upload_for_another_county_or_with_wrong_columns_is_refused(client, world, regions):
    client.force_login(world.department)
    response = client.post(
        reverse("screening:feed_list"),
        {"region": regions.county_2.code, "feed": "population", "file": population()},
    )
    assert response.status_code == 200
    response = client.post(
        reverse("screening:feed_list"),
        {"region": regions.county.code, "feed": "medical", "file": population()},
    )
    assert response.status_code == 200
    assert "缺少必需的列" in response.content.decode()
    assert FeedUpload.objects.count() == 0


def test_a_county_officer_runs_a_screening_and_reads_its_results(
    client, world, regions, inline_runs, django_capture_on_commit_callbacks
):
    head = id_number(60, birth=dt.date(1970, 3, 3))
    client.force_login(world.department)
    for feed, upload in (
        (
            "population",
            population(
                f"R1,{id_number(1)},甲,户主,{regions.village_a.code}",
                f"N1,{head},乙,户主,{regions.village_b.code}",
            ),
        ),
        ("income", incomes(f"R1,{Y},100", f"N1,{Y},100000")),
    ):
        client.post(
            reverse("screening:feed_list"),
            {"region": regions.county.code, "feed": feed, "file": upload},
        )
    client.force_login(world.county)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("screening:run_list"),
            {"region": regions.county.code, "year": Y, "create_cases": "1"},
        )
    run = ScreeningRun.objects.exclude(pk=world.run.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("screening:run_detail", args=[run.pk])
    assert run.status == "done", run.error
    assert run.summary["households_flagged"] == 1
    flag = run.flags.get()
    assert (flag.household_no, flag.rules, flag.registry_category) == (
        "R1",
        "low_income",
        "ordinary",
    )
    assert flag.case == Case.objects.get(household=world.household)
    assert run.cases == {"opened": 1}

    page = client.get(response.url).content.decode()
    assert "R1" in page and "人均纯收入低于监测标准" in page
    assert client.get(response.url, {"rule": "dropout"}).content.decode().count("R1</a>") == 0
    assert (
        "R1</a>"
        in client.get(
            response.url, {"village": regions.village_a.code, "town": regions.town_a.code}
        ).content.decode()
    )
    detail = client.get(reverse("screening:flag_detail", args=[run.pk, "R1"])).content.decode()
    assert "net_income" in detail and "100.00" in detail
    download = client.get(reverse("screening:run_file", args=[run.pk, "warnings.csv"]))
    assert b"".join(download.streaming_content).decode().startswith("household_no,village_code")
    status = client.get(response.url, {"part": "status"}, headers={"HX-Request": "true"})
    assert status["HX-Refresh"] == "true"


def test_a_run_needs_the_population_and_one_run_at_a_time(client, world, regions):
    client.force_login(world.county)
    response = client.post(
        reverse("screening:run_list"), {"region": regions.county.code, "year": Y}
    )
    assert response.status_code == 200
    assert "缺少人口数据" in response.content.decode()
    FeedUpload.objects.create(
        region=regions.county, feed="population", file="x.csv", original_name="x.csv", size=1
    )
    running = ScreeningRun.objects.create(region=regions.county, year=Y, status="running")
    response = client.post(
        reverse("screening:run_list"), {"region": regions.county.code, "year": Y}
    )
    assert "正在运行" in response.content.decode()
    # A run that a restart of the web process ended does not block the county for ever.
    ScreeningRun.objects.filter(pk=running.pk).update(
        created_at=running.created_at - dt.timedelta(hours=7)
    )
    with patch.object(services, "run_launch"):
        response = client.post(
            reverse("screening:run_list"), {"region": regions.county.code, "year": Y}
        )
    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.status, running.error) == ("failed", "interrupted")


def test_a_running_run_shows_its_phase_and_polls(client, world, regions):
    run = ScreeningRun.objects.create(
        region=regions.county, year=Y, status="running", phase="match"
    )
    client.force_login(world.county)
    page = client.get(reverse("screening:run_detail", args=[run.pk])).content.decode()
    assert "与人口数据比对" in page
    assert 'hx-trigger="every 2s"' in page
