"""The look-back review (回头看): the classification at its boundaries, and a stored run."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.assets.models import Asset, IncomeEntry
from fupin.core.errors import FupinError
from fupin.projects import choices as c
from fupin.projects.models import ProjectMove, ReviewResult
from fupin.projects.services import (
    expected_in_window,
    review_classify,
    review_run,
)
from fupin.projects.tests.factories import project_in

H, W, IDLE = c.ReviewClass.HEALTHY, c.ReviewClass.WEAK, c.ReviewClass.IDLE
RATIO = Decimal("0.5")


def classify(expected, actual, last, end, since=dt.date(2020, 1, 1), months=6):
    return review_classify(
        expected=Decimal(expected),
        actual=Decimal(actual),
        last_income_on=last,
        since=since,
        end=end,
        ratio=RATIO,
        idle_months=months,
    )


END = dt.date(2024, 12, 31)
RECENT = dt.date(2024, 12, 1)


def test_exactly_at_the_ratio_is_healthy_a_cent_below_is_weak():
    assert classify("1000.00", "500.00", RECENT, END) == H
    assert classify("1000.00", "499.99", RECENT, END) == W
    assert classify("1000.01", "500.00", RECENT, END) == W
    assert classify("1000.00", "1500.00", RECENT, END) == H


def test_nothing_for_exactly_idle_months_is_idle_a_day_less_is_not():
    assert classify("1000.00", "1000.00", dt.date(2024, 6, 30), dt.date(2024, 12, 30)) == IDLE
    assert classify("1000.00", "1000.00", dt.date(2024, 6, 30), dt.date(2024, 12, 29)) == H
    assert classify("1000.00", "1000.00", dt.date(2024, 7, 1), END) == H
    assert classify("1000.00", "0.00", dt.date(2024, 7, 1), END) == W


def test_a_project_that_never_earned_is_idle_months_after_it_began_operating():
    since = dt.date(2024, 1, 1)
    assert classify("1000.00", "0", None, dt.date(2024, 6, 30), since=since) == W
    assert classify("1000.00", "0", None, dt.date(2024, 7, 1), since=since) == IDLE


def test_idle_before_weak():
    assert classify("1000.00", "0", dt.date(2023, 5, 1), END) == IDLE


def test_expected_return_of_part_of_a_year():
    assert expected_in_window(
        expected=Decimal("3660.00"), start=dt.date(2024, 1, 1), end=END
    ) == Decimal("3660.00")
    assert expected_in_window(
        expected=Decimal("3660.00"), start=dt.date(2024, 7, 1), end=END
    ) == Decimal("1840.00")


@given(
    expected=st.decimals(min_value=1, max_value=10**7, places=2),
    share=st.decimals(min_value=0, max_value=2, places=4),
)
def test_weak_exactly_when_below_the_ratio(expected, share):
    actual = (expected * share).quantize(Decimal("0.01"))
    verdict = classify(expected, actual, RECENT, END)
    assert verdict == (W if actual < RATIO * expected else H)


def _income(project, amount, received_on, village):
    asset = Asset.objects.filter(project=project).first() or Asset.objects.create(
        project=project,
        name=f"{project.name}资产",
        category="operating",
        owner_kind="village",
        village=village,
        value=Decimal("100000.00"),
        formed_on=dt.date(2022, 12, 1),
    )
    return IncomeEntry.objects.create(
        asset=asset,
        kind="rent",
        period_start=received_on,
        period_end=received_on,
        amount=Decimal(amount),
        received_on=received_on,
        voucher_no=f"V{IncomeEntry.objects.count() + 1}",
    )


@pytest.fixture
def projects(people):
    r = people.regions
    healthy = project_in(r.village_a, "operating", name="健康")
    weak = project_in(r.village_a, "operating", name="弱质")
    idle = project_in(r.village_a, "operating", name="闲置")
    flagged = project_in(r.village_a, "rectifying", name="整改中")
    elsewhere = project_in(r.village_b, "operating", name="外镇")
    no_return = project_in(r.village_a, "operating", name="公益", expected_annual_return=0)
    for month in (2, 5, 8, 11):
        _income(healthy, "3000.00", dt.date(2024, month, 10), r.village_a)
    _income(weak, "5999.99", dt.date(2024, 10, 1), r.village_a)
    _income(idle, "12000.00", dt.date(2024, 3, 1), r.village_a)
    _income(flagged, "1000.00", dt.date(2024, 12, 1), r.village_a)
    _income(healthy, "99999.00", dt.date(2025, 1, 5), r.village_a)  # next year: not counted
    return {
        "healthy": healthy,
        "weak": weak,
        "idle": idle,
        "flagged": flagged,
        "elsewhere": elsewhere,
        "no_return": no_return,
    }


def test_a_review_stores_every_verdict_and_flags_operating_projects(people, projects):
    review = review_run(
        region_code=people.regions.town_a.code,
        year=2024,
        actor=people.county,
        today=dt.date(2025, 2, 1),
    )
    results = {r.project_id: r for r in ReviewResult.objects.filter(review=review)}
    p = projects
    assert set(results) == {p["healthy"].pk, p["weak"].pk, p["idle"].pk, p["flagged"].pk}
    assert results[p["healthy"].pk].verdict == H
    assert results[p["healthy"].pk].actual == Decimal("12000.00")
    assert results[p["weak"].pk].verdict == W
    assert results[p["weak"].pk].expected == Decimal("12000.00")
    assert results[p["idle"].pk].verdict == IDLE
    assert results[p["idle"].pk].last_income_on == dt.date(2024, 3, 1)
    assert results[p["flagged"].pk].verdict == W
    assert not results[p["flagged"].pk].moved
    assert (review.reviewed, review.healthy, review.weak, review.idle, review.moved) == (
        4,
        1,
        2,
        1,
        2,
    )
    for key, status in (("weak", "weak"), ("idle", "idle"), ("flagged", "rectifying")):
        p[key].refresh_from_db()
        assert p[key].status == status
    move = ProjectMove.objects.get(project=p["weak"])
    assert move.actor == people.county and move.record == {"review": review.pk}


def test_the_moves_leave_the_records_one_project_move_each_left(people, projects):
    # Given the six projects, when the county reviews town A, then the weak and the idle one
    # move with exactly what `project_move` wrote for each: state, field history, move, event.
    from django.utils import timezone

    from fupin.core.models import Event
    from fupin.projects.models import Project

    p, county, village = projects, people.county, people.regions.village_a.code
    history = Project.history.model.objects
    last_history = history.order_by("-history_id").values_list("history_id", flat=True)[0]
    last_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = timezone.now()
    review = review_run(
        region_code=people.regions.town_a.code,
        year=2024,
        actor=county,
        today=dt.date(2025, 2, 1),
    )
    finished = timezone.now()

    statuses = dict(Project.objects.values_list("pk", "status"))
    assert {name: statuses[project.pk] for name, project in p.items()} == {
        "healthy": "operating",
        "weak": "weak",
        "idle": "idle",
        "flagged": "rectifying",
        "elsewhere": "operating",
        "no_return": "operating",
    }
    rows = history.filter(history_id__gt=last_history).order_by("id")
    assert [
        (r.id, r.history_type, r.status, r.history_user_id, r.history_change_reason) for r in rows
    ] == [
        (p["weak"].pk, "~", "weak", county.pk, "回头看评定"),
        (p["idle"].pk, "~", "idle", county.pk, "回头看评定"),
    ]
    for row in rows:
        project = Project.objects.get(pk=row.id)
        assert started <= row.history_date <= finished
        assert started <= project.status_changed_at <= finished
        assert (row.code, row.name, row.region_id, row.status_changed_at) == (
            project.code,
            project.name,
            village,
            project.status_changed_at,
        )
        assert row.expected_annual_return == Decimal("12000.00")
        assert row.operating_since == dt.date(2023, 1, 1)
    moves = ProjectMove.objects.order_by("id")
    assert [
        (m.project_id, m.from_status, m.to_status, m.actor_id, m.note, m.record, m.resolution_id)
        for m in moves
    ] == [
        (p["weak"].pk, "operating", "weak", county.pk, "回头看评定", {"review": review.pk}, None),
        (p["idle"].pk, "operating", "idle", county.pk, "回头看评定", {"review": review.pk}, None),
    ]
    events = Event.objects.filter(id__gt=last_event).order_by("id")
    assert [
        (e.actor_id, e.verb, e.object_type, e.object_id, e.region_code, e.reason, e.data)
        for e in events
    ] == [
        (
            county.pk,
            "project.weak",
            "projects.project",
            p["weak"].code,
            village,
            "回头看评定",
            {"from": "operating", "to": "weak", "review": review.pk},
        ),
        (
            county.pk,
            "project.idle",
            "projects.project",
            p["idle"].code,
            village,
            "回头看评定",
            {"from": "operating", "to": "idle", "review": review.pk},
        ),
        (
            county.pk,
            "project.review",
            "projects.projectreview",
            str(review.pk),
            people.regions.town_a.code,
            "",
            {"year": 2024, "healthy": 1, "weak": 2, "idle": 1, "moved": 2},
        ),
    ]


def test_a_flagged_project_no_longer_in_a_state_that_allows_the_move_stays(people, projects):
    # Given a review whose weak project was disposed of before the moves are made,
    from fupin.projects.models import Project, ProjectReview
    from fupin.projects.services import _review_moves_apply

    p = projects
    review = ProjectReview.objects.create(
        region=people.regions.town_a,
        year=2024,
        period_end=dt.date(2024, 12, 31),
        weak_ratio=RATIO,
        idle_months=6,
    )
    for key, verdict in (("weak", W), ("idle", IDLE)):
        ReviewResult.objects.create(
            review=review,
            project=p[key],
            verdict=verdict,
            expected=Decimal("12000.00"),
            actual=Decimal("0.00"),
            status_before="operating",
            moved=True,
        )
    Project.objects.filter(pk=p["weak"].pk).update(status="disposed")

    # when the moves are applied, then only the idle one moves and the other is not counted.
    assert _review_moves_apply(review=review, actor=people.county) == 1
    assert dict(
        Project.objects.filter(pk__in=[p["weak"].pk, p["idle"].pk]).values_list("pk", "status")
    ) == {p["weak"].pk: "disposed", p["idle"].pk: "idle"}
    assert dict(review.results.values_list("project_id", "moved")) == {
        p["weak"].pk: False,
        p["idle"].pk: True,
    }
    assert list(ProjectMove.objects.values_list("project_id", flat=True)) == [p["idle"].pk]


def test_the_moves_cost_the_same_statements_for_more_flagged_projects(people, projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(region):
        with CaptureQueriesContext(connection) as context:
            review = review_run(
                region_code=region.code,
                year=2024,
                actor=people.county,
                today=dt.date(2025, 2, 1),
            )
        return review.moved, len(context)

    people.county.get_all_permissions()  # the user's permissions are read once and then cached
    moved, few = statements(people.regions.town_a)
    for n in range(5):
        extra = project_in(people.regions.village_b, "operating", name=f"多{n}")
        _income(extra, "100.00", dt.date(2024, 9, 1), people.regions.village_b)
    more, many = statements(people.regions.town_b)
    assert (moved, more) == (2, 6)  # the five and the town B project with no income
    assert many == few


def test_a_review_costs_the_same_statements_for_more_projects(people, projects):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements():
        with CaptureQueriesContext(connection) as context:
            review_run(
                region_code=people.regions.county.code,
                year=2024,
                actor=people.county,
                today=dt.date(2025, 2, 1),
            )
        return len(context)

    # Nothing left to move after the first run, so later runs only read, store and count.
    statements()
    before = statements()
    for n in range(5):
        extra = project_in(people.regions.village_a, "weak", name=f"多{n}")
        _income(extra, "100.00", dt.date(2024, 9, 1), people.regions.village_a)
    assert statements() == before


def test_only_the_county_runs_a_review_of_its_scope_and_not_the_future(people):
    r = people.regions
    with pytest.raises(FupinError) as e:
        review_run(region_code=r.town_a.code, year=2024, actor=people.town)
    assert e.value.code == "forbidden"
    with pytest.raises(FupinError) as e:
        review_run(region_code=r.county_2.code, year=2024, actor=people.county)
    assert e.value.code == "not_found"
    with pytest.raises(FupinError) as e:
        review_run(region_code=r.county.code, year=2030, actor=people.county)
    assert e.value.code == "invalid_input"


def test_a_review_of_the_current_year_counts_up_to_today(people):
    r = people.regions
    project = project_in(r.village_a, "operating", operating_since=dt.date(2024, 1, 1))
    _income(project, "3000.00", dt.date(2024, 3, 1), r.village_a)
    review = review_run(
        region_code=r.county.code, year=2024, actor=people.county, today=dt.date(2024, 6, 30)
    )
    result = review.results.get()
    assert review.period_end == dt.date(2024, 6, 30)
    assert result.expected == Decimal("5967.21")  # 12000 × 182 / 366
    assert result.verdict == H


@given(
    expected=st.decimals(min_value=1, max_value=10**6, places=2),
    actual=st.decimals(min_value=0, max_value=10**6, places=2),
    more=st.decimals(min_value=0, max_value=10**6, places=2),
    last=st.one_of(st.none(), st.dates(min_value=dt.date(2022, 1, 1), max_value=END)),
)
def test_more_income_never_makes_a_verdict_worse(expected, actual, more, last):
    rank = {H: 0, W: 1, IDLE: 2}
    before = classify(expected, actual, last, END, since=dt.date(2023, 1, 1))
    after = classify(expected, actual + more, last, END, since=dt.date(2023, 1, 1))
    assert rank[after] <= rank[before]


@given(
    expected=st.decimals(min_value=0, max_value=10**7, places=2),
    start=st.dates(min_value=dt.date(2024, 1, 1), max_value=END),
)
def test_the_return_due_never_exceeds_the_year_and_grows_with_the_period(expected, start):
    due = expected_in_window(expected=expected, start=start, end=END)
    assert Decimal(0) <= due <= expected
    if start > dt.date(2024, 1, 1):
        earlier = expected_in_window(expected=expected, start=start - dt.timedelta(days=1), end=END)
        assert earlier >= due
