"""Error pages: 403, 404 and 500 in fupin's layout and the user's language, with DEBUG off."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import include, path

from fupin.accounts.tests.factories import UserFactory


def _boom(request):
    raise RuntimeError("a bug")


# The project's URLs and one view that fails, for the 500 page.
urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


@pytest.fixture
def officer(client, regions):
    user = UserFactory(username="town_err", role="town_officer", region=regions.town_a)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_debug_is_off_in_these_tests():
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_not_found_is_a_chinese_page_in_the_layout(client, officer):
    response = client.get("/households/NO-SUCH-HOUSEHOLD/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "不在您的管辖范围内" in page
    assert "Not Found" not in page
    assert 'class="navbar' in page and "返回首页" in page  # the layout, with the navigation


@pytest.mark.django_db
def test_not_found_in_english_for_english_users(client, officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and '<html lang="en">' in page
    assert "页面不存在" not in page


@pytest.mark.django_db
def test_forbidden_is_a_chinese_page(client, regions):
    # A department user (data submission) is in scope of the city but may not read households.
    client.force_login(UserFactory(username="dept_err", role="department", region=regions.city))
    response = client.get("/households/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page and "Forbidden" not in page and 'class="navbar' in page


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_server_error_is_self_contained_and_chinese(regions):
    client = Client(raise_request_exception=False)
    client.force_login(
        UserFactory(username="town_boom", role="town_officer", region=regions.town_a)
    )
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page and "Server Error" not in page
    assert "<style>" in page and "/static/" not in page  # nothing more to load while things fail
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "System error" in client.get("/boom/").content.decode()
