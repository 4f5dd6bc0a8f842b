"""Pages show labels, not codes: the household timeline's events, their data and reasons."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from fupin.accounts.tests.factories import UserFactory
from fupin.core.services import event_record
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory
from fupin.web.labels import verb_label


@translation.override("zh-hans")
def test_verbs_are_labelled_from_their_apps_catalogue():
    # Every recorded verb is catalogued: fupin/core/tests/test_event_verbs.py.
    assert verb_label("household.monitoring_included") == "纳入监测"
    assert verb_label("case.return") == "案件退回"
    assert verb_label("project.building") == "项目转入建设"
    assert verb_label("project.rectification_plan_added") == "整改方案：提出"
    assert verb_label("nothing.known") == "其他操作"


@translation.override("en")
def test_verb_labels_are_translated():
    assert verb_label("household.monitoring_included") != "纳入监测"


@pytest.mark.django_db
def test_timeline_shows_events_by_their_labels(client, regions):
    household = HouseholdFactory(
        village=regions.village_a, household_no="H-L-1", poverty_status="lifted"
    )
    PersonFactory(household=household, name="王一", relation="head")
    officer = UserFactory(username="county_l", role="county_officer", region=regions.county)
    event_record(
        actor=officer,
        verb="household.monitoring_included",
        obj=household,
        reason="demo",
        data={
            "case": 1,
            "monitoring_type": "unstable",
            "risk_types": ["illness", "disaster"],
            "plan_due_date": "2026-03-01",
        },
    )
    client.force_login(officer)
    page = client.get(reverse("registry:household_detail", args=["H-L-1"])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    text = re.sub(r"<[^>]+>", " ", timeline)  # what is read, not what is in a tooltip
    assert "纳入监测" in text and "脱贫不稳定户" in text and "因病、因灾" in text
    assert "监测案件编号" in text and "演示数据" in text
    for code in ("household.monitoring_included", "unstable", "monitoring_type", "case：", "demo"):
        assert code not in text, code
    # The code stays at hand for support staff, as the badge's tooltip.
    assert 'title="household.monitoring_included"' in timeline
