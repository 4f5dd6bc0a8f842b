from django.core.cache import cache

from fupin.accounts.tests.factories import UserFactory


def test_login_is_throttled_after_repeated_failures(client, regions, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()
    UserFactory(username="li", role="town_officer", region=regions.town_a)
    for _ in range(3):
        client.post("/login/", {"username": "li", "password": "wrong-password"})
    response = client.post("/login/", {"username": "li", "password": "Correct-Horse-9"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_opens_the_home_page(client, regions):
    UserFactory(username="li", role="town_officer", region=regions.town_a)
    response = client.post(
        "/login/", {"username": "li", "password": "Correct-Horse-9"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/"


def test_pages_need_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
