import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from fupin.accounts.services import token_create
from fupin.core.models import Event
from fupin.oversight.models import Scorecard
from fupin.oversight.tests.conftest import END, START

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def page(client, user, name="oversight:scorecard", **params):
    client.force_login(user)
    return client.get(reverse(name), {**PERIOD, **params})


def test_the_county_page_ranks_its_towns_with_links_down_to_the_records(client, scenario):
    r = scenario.regions
    response = page(client, scenario.county)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f'data-region="{r.town_b.code}"') < html.index(
        f'data-region="{r.town_a.code}"'
    )
    assert "85.71" in html and "60.00" in html
    assert "50.0%" in html and "3/6" in html
    assert "权重 30" in html
    assert f"?region={r.town_a.code}&amp;start=2025-01-01&amp;end=2025-12-31" in html
    assert 'id="close"' in html
    assert "考核" in html  # the navigation entry


def test_drilling_down_to_a_town_shows_its_villages(client, scenario):
    r = scenario.regions
    response = page(client, scenario.county, region=r.town_a.code)
    assert response.status_code == 200
    assert f'data-region="{r.village_a.code}"' in response.content.decode()
    assert 'id="close"' not in response.content.decode()  # the county closes its own towns only


def test_the_records_behind_a_figure(client, scenario):
    r = scenario.regions
    response = page(
        client, scenario.county, "oversight:records", region=r.town_a.code, indicator="pairing"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-household=") == 3
    assert scenario.a4.household_no in html
    everything = page(
        client,
        scenario.county,
        "oversight:records",
        region=r.town_a.code,
        indicator="pairing",
        all="1",
    )
    assert everything.content.decode().count("data-household=") == 6
    cases = page(
        client, scenario.county, "oversight:records", region=r.town_a.code, indicator="ontime"
    )
    assert cases.content.decode().count("data-case=") == 2
    for indicator in ("visits", "rounds", "plans", "days"):
        response = page(
            client, scenario.county, "oversight:records", region=r.town_a.code, indicator=indicator
        )
        assert response.status_code == 200


def test_a_town_officer_sees_their_villages_and_nothing_of_another_town(client, scenario):
    r = scenario.regions
    assert page(client, scenario.town_a).status_code == 200
    assert page(client, scenario.town_a, region=r.town_b.code).status_code == 404
    assert (
        page(
            client, scenario.town_a, "oversight:records", region=r.town_b.code, indicator="pairing"
        ).status_code
        == 404
    )
    # The village officer's role may not open the scorecard at all: told so, not "not found".
    assert page(client, scenario.village).status_code == 403


def test_closing_from_the_page_freezes_the_period(client, scenario):
    client.force_login(scenario.county)
    response = client.post(
        reverse("oversight:close"), {"region": scenario.regions.county.code, **PERIOD}
    )
    assert response.status_code == 302
    snapshot = Scorecard.objects.get()
    assert snapshot.closed_by == scenario.county
    html = client.get(response.url).content.decode()
    assert "已关闭（冻结）" in html and 'id="close"' not in html
    closed = client.get(reverse("oversight:closed")).content.decode()
    assert "滕州市" in closed and "2025-01-01" in closed


def test_a_town_officer_cannot_close(client, scenario):
    client.force_login(scenario.town_a)
    response = client.post(
        reverse("oversight:close"), {"region": scenario.regions.town_a.code, **PERIOD}
    )
    assert response.status_code == 302
    assert not Scorecard.objects.exists()


def test_the_excel_export_holds_the_weights_figures_scores_and_ranks(client, scenario):
    r = scenario.regions
    response = page(client, scenario.county, "oversight:export")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "滕州市 下级考核排名"
    assert rows[1] == ["考核期", "2025-01-01 — 2025-12-31"] + [None] * (len(rows[1]) - 2)
    weights = next(row for row in rows if row[0] == "权重")
    assert "结对帮扶覆盖率 30" in weights and "按期审定率 20" in weights
    heading = next(i for i, row in enumerate(rows) if row[0] == "名次")
    head = rows[heading]
    assert head[:3] == ["名次", "区划代码", "区划"] and head[-1] == "总分"
    first, second = rows[heading + 1], rows[heading + 2]
    assert first[:3] == [1, r.town_b.code, "南沙河镇"] and first[-1] == 85.71
    assert second[:3] == [2, r.town_a.code, "洪绪镇"] and second[-1] == 60.0
    pairing = head.index("结对帮扶覆盖率（数值）")
    assert second[pairing : pairing + 3] == [0.5, "3/6", 0.5]
    days = head.index("审定用时中位数（数值）")
    assert first[days : days + 3] == [40.0, "1", 0.5]
    assert Event.objects.filter(verb="oversight.scorecard_exported").count() == 1


def test_api_reads_live_then_frozen_and_closes(client, scenario):
    r = scenario.regions
    token = token_create(user=scenario.county)[1]
    headers = {"Authorization": f"Bearer {token}"}
    live = client.get("/api/v1/oversight/scorecard", PERIOD, headers=headers)
    assert live.status_code == 200, live.content
    body = live.json()
    assert body["status"] == "live" and body["region"] == r.county.code
    assert [(row["region"], row["rank"], row["total"]) for row in body["rows"]] == [
        (r.town_b.code, 1, "85.71"),
        (r.town_a.code, 2, "60.00"),
    ]
    assert body["rows"][1]["figures"]["pairing"] == {
        "count": 6,
        "hits": 3,
        "value": "0.5000",
        "score": "0.5000",
    }
    assert {i["key"]: i["weight"] for i in body["indicators"]}["pairing"] == "30"
    closed = client.post(
        "/api/v1/oversight/scorecard/close",
        json.dumps({"region": r.county.code, **PERIOD}),
        content_type="application/json",
        headers=headers,
    )
    assert closed.status_code == 201, closed.content
    assert closed.json()["status"] == "closed"
    again = client.post(
        "/api/v1/oversight/scorecard/close",
        json.dumps({"region": r.county.code, **PERIOD}),
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    frozen = client.get("/api/v1/oversight/scorecard", PERIOD, headers=headers).json()
    assert frozen["status"] == "closed" and frozen["rows"] == body["rows"]
    listed = client.get("/api/v1/oversight/scorecards", headers=headers).json()
    assert [(s["region"], s["regions"]) for s in listed] == [(r.county.code, 2)]


def test_api_refuses_a_bad_period_with_a_code(client, scenario):
    token = token_create(user=scenario.county)[1]
    response = client.get(
        "/api/v1/oversight/scorecard",
        {"start": "2025-12-31", "end": "2025-01-01"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_period"


def test_assess_prints_the_table_and_closes(scenario, capsys):
    r = scenario.regions
    call_command("assess", region=r.county.code, start="2025-01-01", end="2025-12-31")
    out = capsys.readouterr().out
    assert "实时计算" in out
    assert f"1\t{r.town_b.code}\t南沙河镇\t85.71" in out
    assert f"2\t{r.town_a.code}\t洪绪镇\t60.00\t3/6=0.5000" in out
    call_command("assess", region=r.county.code, start="2025-01-01", end="2025-12-31", close=True)
    assert "已关闭" in capsys.readouterr().out
    assert Scorecard.objects.get().closed_by is None


def test_assess_refusals_exit_with_the_code(scenario):
    with pytest.raises(CommandError, match="not_found"):
        call_command("assess", region="370481999000", start="2025-01-01", end="2025-12-31")
    with pytest.raises(CommandError, match="invalid_period"):
        call_command(
            "assess", region=scenario.regions.county.code, start="2025-12-31", end="2025-01-01"
        )


def test_an_auditor_reads_the_city_ranking_but_cannot_close_it(client, scenario):
    response = page(client, scenario.auditor)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-region="{scenario.regions.county.code}"' in html
    assert 'id="close"' not in html


def test_a_bad_period_on_the_page_is_a_message_not_an_error(client, scenario):
    client.force_login(scenario.county)
    response = client.get(
        reverse("oversight:scorecard"), {"start": "2025-12-31", "end": "2025-01-01"}, follow=True
    )
    assert response.status_code == 200
    assert "考核期结束日期不能早于开始日期" in response.content.decode()


def test_a_village_has_nothing_to_rank(client, scenario):
    token = token_create(user=scenario.county)[1]
    response = client.get(
        "/api/v1/oversight/scorecard",
        {"region": scenario.regions.village_a.code, **PERIOD},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "no_children"
