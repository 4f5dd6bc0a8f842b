"""The policy page: values in force, history, and setting a value within one's subtree."""

import datetime as dt

import pytest
from django.urls import reverse

from fupin.core.models import Event
from fupin.policy.models import PolicyValue

pytestmark = pytest.mark.django_db


def _set(client, user, **overrides):
    client.force_login(user)
    data = {
        "key": "poverty.line",
        "value": "4000",
        "region": "370481000000",
        "valid_from": "2019-01-01",
        "reason": "县扶贫办 2019 年文件",
    } | overrides
    return client.post(reverse("policy:policy_list"), data)


def _in_force(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(reverse("policy:policy_list"), params)
    assert response.status_code == 200
    return {item.key.key: item for item in response.context["resolved"]}


def test_shows_shipped_values_with_their_marking(client, officers):
    resolved = _in_force(client, officers.town_a, on="2016-06-30")
    assert resolved["poverty.line"].value == 3372
    assert resolved["poverty.line"].row.region is None
    body = client.get(reverse("policy:policy_list"), {"on": "2016-06-30"}).content.decode()
    assert 'data-mark="sourced"' in body
    assert _in_force(client, officers.town_a, on="2019-06-30")["poverty.line"].row.sourced is False


def test_county_officer_sets_a_value_within_the_subtree(client, officers):
    response = _set(client, officers.county)
    assert response.status_code == 302
    row = PolicyValue.objects.get(key="poverty.line", region_id="370481000000")
    assert (row.value, row.created_by, row.reason) == (
        "4000",
        officers.county,
        "县扶贫办 2019 年文件",
    )
    assert Event.objects.filter(verb="policy.set", actor=officers.county).exists()
    # the town inherits the county's value, and the page says where it comes from
    item = _in_force(client, officers.town_a, on="2019-06-30")["poverty.line"]
    assert (item.value, item.row.region_id) == (4000, "370481000000")
    history = client.get(reverse("policy:policy_list")).context["history"]
    assert history[0] == row


def test_county_officer_may_set_for_a_town_below(client, officers):
    assert _set(client, officers.county, region="370481101000").status_code == 302
    assert PolicyValue.objects.filter(region_id="370481101000").count() == 1


def test_outside_the_subtree_is_refused(client, officers):
    response = _set(client, officers.county_2)
    assert response.status_code == 200
    assert response.context["set_form"].errors["region"]
    assert not PolicyValue.objects.filter(created_by__isnull=False).exists()


def test_town_officer_sees_no_form_and_cannot_post(client, officers):
    client.force_login(officers.town_a)
    page = client.get(reverse("policy:policy_list"))
    assert page.context["set_form"] is None
    assert 'id="policy-set"' not in page.content.decode()
    assert _set(client, officers.town_a, region="370481101000").status_code == 403
    assert not PolicyValue.objects.filter(created_by__isnull=False).exists()


def test_reason_is_required(client, officers):
    response = _set(client, officers.county, reason="  ")
    assert response.context["set_form"].errors["reason"]
    assert not PolicyValue.objects.filter(created_by__isnull=False).exists()


def test_service_error_is_shown_with_its_code(client, officers):
    response = _set(client, officers.county, value="abc")
    assert response.status_code == 200
    body = response.content.decode()
    assert "参数值格式不正确" in body
    # The code is for support staff, in the error's attribute and tooltip, not in the text.
    assert 'data-error-code="invalid_policy_value"' in body
    assert "（invalid_policy_value）" not in body
    assert not PolicyValue.objects.filter(created_by__isnull=False).exists()


def test_date_chooses_the_value_in_force(client, officers):
    _set(client, officers.county, valid_from="2030-01-01")
    assert (
        _in_force(client, officers.town_a, on=dt.date(2029, 12, 31).isoformat())[
            "poverty.line"
        ].value
        == 3609
    )
    assert _in_force(client, officers.town_a, on="2030-01-01")["poverty.line"].value == 4000


def test_region_select_stays_within_the_subtree(client, officers):
    client.force_login(officers.town_a)
    form = client.get(reverse("policy:policy_list")).context["view_form"]
    codes = [value for value, _label in form.fields["region"].choices]
    assert codes == ["370481101000", "370481101201"]
    assert _in_force(client, officers.town_a, region="370481102000") == _in_force(
        client, officers.town_a
    )


def test_weights_are_a_table_of_labels_and_keys_a_details_line(client, officers):
    client.force_login(officers.county)
    body = client.get(reverse("policy:policy_list"), {"on": "2020-06-30"}).content.decode()
    start = body.index('data-key="assessment.weights"')
    row = body[start : body.index("<tr data-key=", start)]
    assert "data-weights" in row and "结对帮扶覆盖率" in row and "走访达标率" in row
    assert "pairing=20" not in body  # neither in force nor in the history
    # The key stays at hand for support staff, marked as a code under the label.
    assert (
        '<div class="small text-secondary font-monospace" data-code>assessment.weights</div>' in row
    )
    start = body.index('data-key="distribution.weights"')
    assert "未脱贫" in body[start : body.index("<tr data-key=", start)]
