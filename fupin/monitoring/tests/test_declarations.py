"""Self-declarations as a resident and a phone make them: short tracking codes found however they
are typed, a key reused for someone else refused, lookups limited, and the API over real HTTP.

Issue 10, defects 7 (tracking codes) and 23 (a declaration key reused with another payload).
"""

import datetime as dt
import json
import re
import urllib.error
import urllib.request

import pytest

from fupin.core.errors import FupinError, NotFound
from fupin.monitoring.models import Declaration, TrackingMiss
from fupin.monitoring.selectors import declaration_by_tracking_code
from fupin.monitoring.services import declaration_submit, declaration_track
from fupin.monitoring.tracking import ALPHABET, LENGTH, tracking_code_grouped
from fupin.policy.services import policy_seed_defaults, policy_set
from fupin.registry.tests.factories import id_number
from fupin.web.qr import qr_svg

CODE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def payload(regions, **overrides) -> dict:
    return {
        "name": "周大山",
        "id_number": id_number(4242),
        "phone": "13700000001",
        "village_code": regions.village_a.code,
        "household_size": 3,
        "risk_types": ["illness"],
        **overrides,
    }


def declare(regions, key="k1", **overrides):
    return declaration_submit(idempotency_key=key, **payload(regions, **overrides))


# Tracking codes ----------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alikes_and_enough_codes():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    # The figure of decision 0056: 31^8 codes.
    assert len(ALPHABET) ** LENGTH == 852_891_037_441


@pytest.mark.django_db
def test_a_new_code_is_eight_characters_shown_in_two_groups(regions):
    declaration, _created = declare(regions)
    assert CODE.match(declaration.tracking_code), declaration.tracking_code
    shown = tracking_code_grouped(declaration.tracking_code)
    assert shown == f"{declaration.tracking_code[:4]}-{declaration.tracking_code[4:]}"


@pytest.mark.django_db
def test_a_code_is_found_in_any_case_with_or_without_its_dash(regions):
    declaration, _created = declare(regions)
    code = declaration.tracking_code
    for typed in (
        code,
        code.lower(),
        f"{code[:4]}-{code[4:]}",
        f"  {code[:4].lower()}-{code[4:].lower()} ",
        f"{code[:4]} {code[4:]}",
    ):
        assert declaration_by_tracking_code(tracking_code=typed).pk == declaration.pk, typed
    with pytest.raises(NotFound):
        declaration_by_tracking_code(tracking_code=code[:7])


@pytest.mark.django_db
def test_a_code_issued_before_keeps_working_exactly_as_it_was(regions):
    declaration, _created = declare(regions)
    legacy = "aB3-_xYz9QwErTy0"  # what secrets.token_urlsafe(12) gave before decision 0056
    Declaration.objects.filter(pk=declaration.pk).update(tracking_code=legacy)
    assert declaration_by_tracking_code(tracking_code=legacy).pk == declaration.pk
    assert declaration_by_tracking_code(tracking_code=f" {legacy} ").pk == declaration.pk
    with pytest.raises(NotFound):
        declaration_by_tracking_code(tracking_code=legacy.upper())
    assert tracking_code_grouped(legacy) == legacy


@pytest.mark.django_db
def test_lookups_that_miss_are_limited_per_address(regions):
    policy_set(
        key="monitoring.tracking_misses_per_hour",
        value="3",
        region_code=None,
        valid_from=dt.date(2020, 1, 1),
        reason="测试",
    )
    declaration, _created = declare(regions)
    for guess in ("AAAA-AAAA", "AAAA-AAAB", "AAAA-AAAC"):
        with pytest.raises(NotFound):
            declaration_track(tracking_code=guess, client_address="10.0.0.9")
    assert TrackingMiss.objects.filter(client_address="10.0.0.9").count() == 3
    # Even the right code is refused now: a guesser cannot tell a hit from the limit.
    with pytest.raises(FupinError) as exc:
        declaration_track(tracking_code=declaration.tracking_code, client_address="10.0.0.9")
    assert (exc.value.code, exc.value.status) == ("too_many_lookups", 429)
    found = declaration_track(tracking_code=declaration.tracking_code, client_address="10.0.0.8")
    assert found.pk == declaration.pk


# Idempotency (defect 23) -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_key_reused_with_another_persons_payload_is_409(regions):
    first, _created = declare(regions, key="phone-key")
    with pytest.raises(FupinError) as exc:
        declare(regions, key="phone-key", name="李秀英", id_number=id_number(77))
    assert (exc.value.code, exc.value.status) == ("idempotency_key_reused", 409)
    with pytest.raises(FupinError) as exc:
        declare(regions, key="phone-key", household_size=5)
    assert exc.value.code == "idempotency_key_reused"
    # The same payload again (a phone's retry; the ID typed in lower case) is the first declaration.
    again, created = declare(regions, key="phone-key", id_number=id_number(4242).lower())
    assert (again.pk, created) == (first.pk, False)
    assert Declaration.objects.count() == 1


# The API over real HTTP, as a phone sends it: no cookie, no token ---------------------------------


def send(url: str, *, data: dict | None = None, headers: dict | None = None):
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(
        url,
        data=body,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


@pytest.fixture
def world(transactional_db, regions):
    # A transactional test before this one may have flushed the defaults the migrations seeded.
    policy_seed_defaults()
    return regions


def test_declarations_over_http_without_a_cookie(live_server, world):
    api = f"{live_server.url}/api/v1/declarations"
    status, headers, body = send(api, data=payload(world), headers={"Idempotency-Key": "h-1"})
    assert status == 201, body
    assert "Set-Cookie" not in headers
    code = body["tracking_code"]
    assert CODE.match(code)
    assert body["tracking_code_display"] == f"{code[:4]}-{code[4:]}"
    assert body["tracking_url"] == f"{live_server.url}/track/?code={code[:4]}-{code[4:]}"
    # The QR code is the one of the progress link, drawn on the server.
    assert body["tracking_qr_svg"] == str(
        qr_svg(body["tracking_url"], size="160", title="查询办理进度的二维码")
    )

    again = send(api, data=payload(world), headers={"Idempotency-Key": "h-1"})
    assert (again[0], again[2]["tracking_code"]) == (200, code)

    other = payload(world, name="李秀英", id_number=id_number(77))
    status, _headers, refused = send(api, data=other, headers={"Idempotency-Key": "h-1"})
    assert (status, refused["error"]["code"]) == (409, "idempotency_key_reused")
    assert Declaration.objects.count() == 1

    status, _headers, found = send(f"{api}/{code.lower()}")
    assert (status, found["tracking_code"], found["stage"]) == (200, code, "verify")
    status, _headers, missing = send(f"{api}/ZZZZZZZZ")
    assert (status, missing["error"]["code"]) == (404, "not_found")
