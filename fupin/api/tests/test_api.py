from fupin.accounts.models import ApiToken


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_household_list_is_scoped_and_searchable(client, world):
    response = client.get("/api/v1/households", headers=auth(world.county_token))
    assert response.status_code == 200
    assert {h["household_no"] for h in response.json()["results"]} == {"H-A-1", "H-B-1"}

    response = client.get("/api/v1/households", {"q": "赵三"}, headers=auth(world.county_token))
    assert [h["household_no"] for h in response.json()["results"]] == ["H-B-1"]

    response = client.get("/api/v1/households", headers=auth(world.town_a_token))
    assert response.json()["count"] == 1


def test_household_list_filters_by_category_and_region(client, world):
    world.away.poverty_status = "lifted"
    world.away.policy_support = True
    world.away.save()
    response = client.get(
        "/api/v1/households", {"category": "lifted_supported"}, headers=auth(world.county_token)
    )
    assert [h["household_no"] for h in response.json()["results"]] == ["H-B-1"]
    assert response.json()["results"][0]["category"] == "lifted_supported"
    response = client.get(
        "/api/v1/households",
        {"region": world.regions.town_a.code},
        headers=auth(world.county_token),
    )
    assert [h["household_no"] for h in response.json()["results"]] == ["H-A-1"]


def test_household_file_masks_ids_and_phones(client, world):
    response = client.get("/api/v1/households/H-A-1", headers=auth(world.town_a_token))
    assert response.status_code == 200
    data = response.json()
    head = data["members"][0]
    assert head["name"] == "王一"
    assert head["relation"] == "head"
    full = world.home.members.get(name="王一").id_number
    assert full not in response.content.decode()
    assert head["id_number"] == full[:6] + "********" + full[-4:]
    assert head["phone"] == "138****5678"
    assert data["category"] == "not_lifted"
    income = data["incomes"][0]
    assert income["year"] == 2019
    assert income["net"] == "8000.00" or float(income["net"]) == 8000.0
    assert income["size"] == 2


def test_region_with_children(client, world):
    response = client.get(
        f"/api/v1/regions/{world.regions.county.code}", headers=auth(world.county_token)
    )
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "滕州市"
    assert [c["code"] for c in data["children"]] == [
        world.regions.town_a.code,
        world.regions.town_b.code,
    ]


def test_region_above_the_users_scope_is_404(client, world):
    response = client.get(
        f"/api/v1/regions/{world.regions.county.code}", headers=auth(world.town_a_token)
    )
    assert response.status_code == 404


def test_session_login_works_for_the_api(client, world):
    client.force_login(world.town_a)
    assert client.get("/api/v1/households/H-A-1").status_code == 200


def test_bad_and_revoked_tokens_are_401(client, world):
    assert client.get("/api/v1/households", headers=auth("fpn_nope")).status_code == 401
    ApiToken.objects.filter(user=world.town_a).update(revoked_at="2026-01-01T00:00:00Z")
    response = client.get("/api/v1/households", headers=auth(world.town_a_token))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_tokens_are_stored_hashed(world):
    assert not ApiToken.objects.filter(digest=world.town_a_token).exists()
    assert ApiToken.objects.filter(user=world.town_a).get().hint == world.town_a_token[:10]


def test_invalid_query_gets_the_error_shape(client, world):
    response = client.get("/api/v1/households", {"page": "x"}, headers=auth(world.county_token))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_openapi_document_and_docs_are_served(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "扶贫 fupin API"
    assert client.get("/api/v1/docs").status_code == 200
