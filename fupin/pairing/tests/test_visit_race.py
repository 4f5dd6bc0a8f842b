"""Two visit posts with the same Idempotency-Key at once (issue 10, defect 23)."""

import datetime as dt
import threading

import pytest
from django.db import connection

from fupin.accounts.tests.factories import UserFactory
from fupin.pairing.models import Visit
from fupin.pairing.services import visit_record
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory, PairingFactory
from fupin.policy.services import policy_seed_defaults
from fupin.registry.tests.factories import HouseholdFactory


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real concurrent transactions (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_give_the_one_visit(regions):
    policy_seed_defaults()
    login = UserFactory(role="cadre", region=regions.town_a)
    cadre = CadreFactory(user=login, unit=AidUnitFactory(region=regions.county))
    home = HouseholdFactory(village=regions.village_a)
    PairingFactory(cadre=cadre, household=home, start_date=dt.date(2020, 1, 1))
    barrier, outcomes = threading.Barrier(2), []

    def post():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            visit, created = visit_record(
                household=home, idempotency_key="phone-key-1", actor=login, found="看望"
            )
            outcomes.append((visit.pk, created))
        except Exception as exc:  # an IntegrityError here was the 500
            outcomes.append(type(exc).__name__)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    visit = Visit.objects.get()
    assert sorted(outcomes, key=str) == sorted([(visit.pk, True), (visit.pk, False)], key=str)
