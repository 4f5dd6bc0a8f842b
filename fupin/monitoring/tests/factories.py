"""Monitoring's test world: small real files for attachments, officers of each stage, a case's walk."""

import datetime as dt
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fupin.accounts.services import token_create
from fupin.accounts.tests.factories import UserFactory
from fupin.monitoring.models import Case
from fupin.registry.tests.factories import id_number

# The smallest valid PDF: a header, one empty page, and the trailer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def commitment_scan(
    name: str = "承诺书.pdf", content: bytes = PDF, content_type: str = "application/pdf"
):
    """Return an uploaded PDF as a browser would send it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(name: str = "photo.png", size: int = 16):
    """Return an uploaded PNG photo (a real image, drawn by the app icon painter)."""
    from fupin.monitoring.icons import icon_png

    return SimpleUploadedFile(name, icon_png(size), content_type="image/png")


class Officers:
    """Officers of each stage's role over village A, with API tokens, and a client helper."""

    def __init__(self, regions):
        self.village = UserFactory(
            username="village_a", role="village_officer", region=regions.village_a
        )
        self.town = UserFactory(username="town_a", role="town_officer", region=regions.town_a)
        self.county = UserFactory(username="county", role="county_officer", region=regions.county)
        self.cadre = UserFactory(username="cadre_a", role="cadre", region=regions.village_a)
        self.tokens = {
            user.username: token_create(user=user)[1]
            for user in (self.village, self.town, self.county, self.cadre)
        }

    def headers(self, user) -> dict:
        return {"Authorization": f"Bearer {self.tokens[user.username]}"}


DECLARANT_ID = id_number(4242)


def post(client, url, body, headers=None):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=headers or {}
    )


def advance(client, officers, user, case_id, stage, decision="pass", data=None, note=""):
    return post(
        client,
        f"/api/v1/cases/{case_id}/advance",
        {"stage": stage, "decision": decision, "note": note, "data": data or {}},
        officers.headers(user),
    )


def age_notice(case_id, days):
    Case.objects.filter(pk=case_id).update(
        notice_started_on=timezone.localdate() - dt.timedelta(days=days)
    )


def walk_to_county(client, officers, case_id):
    """Pass verify, compare, appraise, notice and town review as their owners."""
    steps = [
        (
            officers.village,
            "verify",
            {
                "verifiers": ["李村干", "王专干"],
                "findings": "因病支出大",
                "commitment_signed": True,
            },
        ),
        (officers.village, "compare", {"findings": "医保数据显示住院自付 3 万元"}),
        (
            officers.village,
            "appraise",
            {
                "date": timezone.localdate().isoformat(),
                "representatives": 21,
                "votes_for": 18,
                "votes_against": 3,
                "minutes": "同意纳入",
            },
        ),
    ]
    for user, stage, data in steps:
        response = advance(client, officers, user, case_id, stage, data=data)
        assert response.status_code == 200, response.json()
    age_notice(case_id, 5)
    assert advance(client, officers, officers.village, case_id, "notice").status_code == 200
    response = advance(
        client, officers, officers.town, case_id, "town_review", data={"opinion": "同意"}
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "county_decide"
