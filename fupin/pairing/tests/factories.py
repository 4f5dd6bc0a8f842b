"""Factories of pairing records for tests."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from fupin.pairing.models import AidUnit, Cadre, Pairing, UnitVillage
from fupin.registry.tests.factories import id_number


class AidUnitFactory(DjangoModelFactory):
    class Meta:
        model = AidUnit

    name = factory.Sequence(lambda n: f"单位{n}")
    level = "county"


class UnitVillageFactory(DjangoModelFactory):
    class Meta:
        model = UnitVillage

    unit = factory.SubFactory(AidUnitFactory)
    start_date = dt.date(2016, 1, 1)


class CadreFactory(DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    id_number = factory.Sequence(lambda n: id_number(5000 + n))
    unit = factory.SubFactory(AidUnitFactory)
    position = "科员"


class PairingFactory(DjangoModelFactory):
    class Meta:
        model = Pairing

    cadre = factory.SubFactory(CadreFactory)
    start_date = dt.date(2017, 1, 1)
