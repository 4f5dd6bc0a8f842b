"""The navigation bar: links by capability, grouped in menus by mechanism."""

from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory


def test_an_officer_gets_menus_and_the_current_page_is_marked(client, regions):
    client.force_login(UserFactory(role="county_officer", region=regions.county))
    html = client.get(reverse("councils:list")).content.decode()
    for menu in ("动态监测", "帮扶考核", "项目资金", "数据与参数"):
        assert f'data-bs-toggle="dropdown" aria-expanded="false">{menu}</a>' in html
    assert 'class="dropdown-item active" href="/councils/" aria-current="page"' in html
    assert 'class="nav-link dropdown-toggle active"' in html  # its menu, 项目资金


def test_a_menu_with_one_link_for_the_user_is_that_link(client, regions):
    client.force_login(UserFactory(role="department", region=regions.city))
    html = client.get(reverse("web:home")).content.decode()
    # The menus of the navigation (the user's own menu at the right aside).
    menus = html[html.index('<ul class="navbar-nav me-auto">') : html.index('id="user-menu"')]
    assert "dropdown-toggle" not in menus
    assert f'class="nav-link" href="{reverse("screening:feed_list")}">数据报送</a>' in html
    assert "项目资金" not in html
