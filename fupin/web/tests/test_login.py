"""Login, and the Chinese message when repeated failures lock it."""

import pytest
from django.test import override_settings
from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_wrong_password_says_so_in_chinese(client, regions):
    UserFactory(username="officer", region=regions.town_a)
    response = client.post(reverse("web:login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_good_password_logs_in(client, regions):
    UserFactory(username="officer", region=regions.town_a)
    response = client.post(
        reverse("web:login"), {"username": "officer", "password": "Correct-Horse-9"}
    )
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=0.25)
def test_repeated_failures_lock_the_login_with_a_clear_message(client, regions):
    UserFactory(username="officer", region=regions.town_a)
    for _attempt in range(3):
        client.post(reverse("web:login"), {"username": "officer", "password": "wrong"})
    response = client.post(
        reverse("web:login"), {"username": "officer", "password": "Correct-Horse-9"}
    )
    body = response.content.decode()
    assert response.status_code == 429
    assert 'data-code="login_locked"' in body
    assert "登录失败次数过多" in body and "15 分钟" in body
    assert client.get(reverse("web:home")).status_code == 302
