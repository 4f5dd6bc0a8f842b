"""Authentication over real HTTP: a token alone writes; a cookie session still needs CSRF.

Django's test client skips CSRF, so these go through `live_server` with urllib (defect 2 of
issue 10: every token write was refused with 403 "CSRF check Failed").
"""

from django.conf import settings
from django.test import Client

from fupin.api.tests.http import request
from fupin.assistance.models import AssistancePlan

PLAN = "/api/v1/households/H-A-1/plan"


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_token_without_cookie_writes(live_server, world):
    reply = request(
        live_server.url, "PUT", PLAN, token=world.town_a_token, json_body={"note": "令牌写入"}
    )
    assert reply.status in (200, 201), reply.text
    assert reply.json()["note"] == "令牌写入"
    assert AssistancePlan.objects.get(household=world.home).note == "令牌写入"


def test_a_bad_token_without_cookie_is_401_not_a_csrf_refusal(live_server, world):
    reply = request(live_server.url, "PUT", PLAN, token="fpn_nope", json_body={"note": "x"})
    assert reply.status == 401, reply.text
    assert reply.json()["error"]["code"] == "unauthenticated"
    anonymous = request(live_server.url, "PUT", PLAN, json_body={"note": "x"})
    assert anonymous.status == 401, anonymous.text


def test_a_cookie_session_write_without_csrf_is_refused(live_server, world):
    cookie = _session_cookie(world.town_a)
    reply = request(
        live_server.url,
        "PUT",
        PLAN,
        json_body={"note": "跨站"},
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )
    assert reply.status == 403, reply.text
    assert reply.json()["error"]["code"] == "csrf_failed"
    assert not AssistancePlan.objects.filter(note="跨站").exists()


def test_a_cookie_session_write_with_csrf_passes(live_server, world):
    cookie = _session_cookie(world.town_a)
    csrf = "a" * 32
    reply = request(
        live_server.url,
        "PUT",
        PLAN,
        json_body={"note": "本站"},
        headers={
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf,
        },
    )
    assert reply.status in (200, 201), reply.text
    assert reply.json()["note"] == "本站"


def test_a_cookie_session_read_needs_no_csrf(live_server, world):
    cookie = _session_cookie(world.town_a)
    reply = request(
        live_server.url,
        "GET",
        "/api/v1/households/H-A-1",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
    )
    assert reply.status == 200, reply.text
