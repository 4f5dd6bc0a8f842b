import pytest
from django.core.management import CommandError, call_command

from fupin.pairing.models import AllocationRun, Pairing
from fupin.pairing.tests.factories import AidUnitFactory, CadreFactory
from fupin.registry.tests.factories import HouseholdFactory


def test_pair_prints_counts_and_uncovered_reasons(regions, capsys):
    cadre = CadreFactory(unit=AidUnitFactory(region=regions.county))
    HouseholdFactory(village=regions.village_a)
    lonely = HouseholdFactory(village=regions.village_c)
    call_command("pair", region="370400000000")
    out = capsys.readouterr().out
    assert "新增 1" in out and "仍未覆盖 1" in out
    assert f"{lonely.household_no}\t{regions.village_c.code}\t本县没有在岗的帮扶责任人" in out
    assert Pairing.objects.get().cadre == cadre


def test_pair_dry_run_writes_nothing(regions, capsys):
    CadreFactory(unit=AidUnitFactory(region=regions.county))
    HouseholdFactory(village=regions.village_a)
    call_command("pair", region="370481000000", dry_run=True)
    assert "新增 1" in capsys.readouterr().out
    assert not Pairing.objects.exists()
    assert AllocationRun.objects.get().dry_run


def test_pair_unknown_region_fails(regions):
    with pytest.raises(CommandError, match="not_found"):
        call_command("pair", region="370481999000")
