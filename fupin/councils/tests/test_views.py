from django.urls import reverse

from fupin.accounts.tests.factories import UserFactory
from fupin.councils.models import Resolution
from fupin.councils.tests.factories import council_with_members


def _login(client, user):
    client.force_login(user)
    return client


def test_the_list_shows_councils_in_scope_only(client, regions):
    mine = council_with_members(regions.village_a, members=3)
    council_with_members(regions.village_b, members=3)
    _login(client, UserFactory(role="town_officer", region=regions.town_a))
    page = client.get(reverse("councils:list"))
    assert page.status_code == 200
    assert mine.name in page.content.decode()
    assert "沙村扶贫理事会" not in page.content.decode()
    assert client.get(reverse("councils:list"), {"region": regions.town_b.code}).status_code == 404


def test_a_village_officer_records_a_meeting_and_seats_a_member(client, regions):
    council = council_with_members(regions.village_a, members=3)
    _login(client, UserFactory(role="village_officer", region=regions.village_a))
    detail = reverse("councils:detail", args=[council.pk])
    assert "meeting-form" in client.get(detail).content.decode()
    response = client.post(
        reverse("councils:meeting_record", args=[council.pk]),
        {
            "held_on": "2018-06-01",
            "attendees": "3",
            "minutes": "讨论收益分配",
            "kind_0": "distribution_plan",
            "title_0": "2018年收益分配方案",
            "for_0": "3",
        },
    )
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.adopted and resolution.kind == "distribution_plan"
    assert "2018年收益分配方案" in client.get(detail).content.decode()
    response = client.post(
        reverse("councils:member_add", args=[council.pk]),
        {"name": "新理事", "role": "supervisor", "start_date": "2018-07-01"},
    )
    assert response.status_code == 302
    assert council.members.filter(name="新理事", role="supervisor").exists()


def test_a_refused_meeting_shows_the_code_and_keeps_the_input(client, regions):
    council = council_with_members(regions.village_a, members=4)
    _login(client, UserFactory(role="village_officer", region=regions.village_a))
    response = client.post(
        reverse("councils:meeting_record", args=[council.pk]),
        {"held_on": "2018-06-01", "attendees": "2", "minutes": "人数不足"},
    )
    assert response.status_code == 422
    assert "no_quorum" in response.content.decode()
    assert "人数不足" in response.content.decode()
    assert not council.meetings.exists()


def test_a_cadre_reads_but_cannot_manage(client, regions):
    council = council_with_members(regions.village_a, members=3)
    _login(client, UserFactory(role="cadre", region=regions.village_a))
    page = client.get(reverse("councils:detail", args=[council.pk])).content.decode()
    assert "meeting-form" not in page
    response = client.post(
        reverse("councils:member_add", args=[council.pk]),
        {"name": "某", "role": "member", "start_date": "2018-07-01"},
    )
    assert response.status_code == 403
    assert council.members.count() == 3


def test_another_towns_council_is_not_found(client, regions):
    away = council_with_members(regions.village_b, members=3)
    _login(client, UserFactory(role="town_officer", region=regions.town_a))
    assert client.get(reverse("councils:detail", args=[away.pk])).status_code == 404


def test_a_refused_member_end_shows_its_message_without_the_code(client, regions):
    council = council_with_members(regions.village_a, members=3)
    member = council.members.first()
    _login(client, UserFactory(role="village_officer", region=regions.village_a))
    response = client.post(
        reverse("councils:member_end", args=[council.pk, member.pk]), {}, follow=True
    )
    body = response.content.decode()
    assert "请填写离任日期和原因" in body
    assert 'data-error-code="invalid_input"' in body and "（invalid_input）" not in body
