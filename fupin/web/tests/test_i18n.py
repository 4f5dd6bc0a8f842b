"""The English catalogue: the pages switch to English on request, Chinese stays the default, and every
source string has a checked English translation (fupin/locale/en/LC_MESSAGES/django.po, compiled to .mo)."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from fupin.accounts.tests.factories import UserFactory
from fupin.registry.tests.factories import HouseholdFactory, PersonFactory

LOCALE = Path(settings.BASE_DIR) / "fupin" / "locale"
PO_FILE = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same exclusions as the makemessages command of docs/decisions/0007-translations.md.
IGNORE = [".venv", "node_modules", "var", "bench", "*/tests/*"]
# Language names are shown in their own language, so that anyone can find theirs in the switcher.
ENDONYMS = {"简体中文"}
CJK = re.compile(r"[\u3400-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# Labels the home page and the household list show, in both languages.
LABELS = {
    "首页": "Home",
    "农户档案": "Household files",
    "未脱贫": "Not lifted",
    "监测对象": "Monitored household",
    "脱贫享受政策": "Lifted, enjoying policy support",
    "退出": "Log out",
}
LIST_LABELS = {
    "户编号": "Household number",
    "帮扶类别": "Support category",
    "户属性": "Household type",
    "低保户": "Dibao household",
}


@pytest.fixture
def official(client, regions):
    """Log in a county officer whose county holds a not-lifted dibao household."""
    household = HouseholdFactory(
        village=regions.village_a,
        household_no="H-I18N-1",
        poverty_status="not_lifted",
        household_type="dibao",
        main_cause="illness",
    )
    PersonFactory(household=household, name="王一", relation="head")
    user = UserFactory(username="county_i18n", role="county_officer", region=regions.county)
    client.force_login(user)
    return user


def _pages(client, **headers) -> tuple[str, str]:
    home = client.get(reverse("web:home"), **headers)
    households = client.get(reverse("registry:household_list"), **headers)
    assert home.status_code == households.status_code == 200
    return home.content.decode(), households.content.decode()


def _assert_english(home: str, households: str) -> None:
    assert '<html lang="en">' in home
    for chinese, english in LABELS.items():
        assert english in home, english
        assert chinese not in home, chinese
    for chinese, english in {**LABELS, **LIST_LABELS}.items():
        assert english in households, english
        assert chinese not in households, chinese


@pytest.mark.django_db
def test_chinese_is_the_default(client, official):
    home, households = _pages(client)
    assert '<html lang="zh-hans">' in home
    for chinese, english in LABELS.items():
        assert chinese in home, chinese
        assert english not in home, english
    for chinese, english in LIST_LABELS.items():
        assert chinese in households, chinese
        assert english not in households, english


@pytest.mark.django_db
def test_language_switch_shows_english(client, official):
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("web:home")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    _assert_english(*_pages(client))
    # And back.
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": reverse("web:home")})
    home, _households = _pages(client)
    assert "农户档案" in home and "Household files" not in home


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, official):
    home, _households = _pages(client, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in home and "农户档案" in home


@pytest.mark.django_db
def test_language_cookie_english_shows_english(client, official):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _assert_english(*_pages(client))


def test_choice_labels_follow_the_language():
    from fupin.registry import choices as c

    with translation.override("en"):
        assert str(c.SupportCategory.LIFTED_SUPPORTED.label) == "Lifted, enjoying policy support"
        assert str(c.SupportCategory.LIFTED.label) == "Lifted, no policy support"
    with translation.override("zh-hans"):
        assert str(c.SupportCategory.MONITORED.label) == "监测对象"


def _problems(po: polib.POFile) -> list[str]:
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        name = repr(entry.msgid[:40])
        if entry.fuzzy:
            problems.append(f"fuzzy: {name}")
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not translations or not all(t.strip() for t in translations):
            problems.append(f"untranslated: {name}")
            continue
        for text in translations:
            if CJK.search(text) and entry.msgid not in ENDONYMS:
                problems.append(f"Chinese left in the English: {name}")
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append(f"placeholders differ: {name}")
    return problems


def test_every_catalogue_entry_is_translated():
    po = polib.pofile(str(PO_FILE))
    assert len(po) > 300
    assert _problems(po) == []


def test_compiled_catalogue_matches_the_po_file():
    # The .mo is committed (a fresh machine may have no msgfmt): it must be recompiled with the .po.
    po = polib.pofile(str(PO_FILE))
    mo = polib.mofile(str(MO_FILE))

    def table(catalogue):
        result = {}
        for entry in catalogue:
            if entry.obsolete or not entry.msgid:
                continue
            result[(entry.msgctxt, entry.msgid)] = (
                tuple(v for _k, v in sorted(entry.msgstr_plural.items()))
                if entry.msgid_plural
                else entry.msgstr
            )
        return result

    assert table(mo) == table(po), "run: fupin compilemessages --ignore=.venv --ignore=node_modules"


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="needs the GNU gettext tools",
)
def test_every_source_string_is_in_the_catalogue(tmp_path, monkeypatch):
    # makemessages into a copy of the catalogue: a string added to the code or the templates but not
    # translated shows up as an empty (or fuzzy) entry there.
    # The real fupin/locale is ignored, or makemessages would find it and write there.
    target = tmp_path / "locale"
    shutil.copytree(LOCALE, target)
    before = PO_FILE.read_bytes()
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[target]):
        call_command(
            "makemessages", locale=["en"], ignore_patterns=[*IGNORE, "fupin/locale"], verbosity=0
        )
    assert PO_FILE.read_bytes() == before
    fresh = polib.pofile(str(target / "en" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in polib.pofile(str(PO_FILE)) if not entry.obsolete}
    new = sorted(e.msgid for e in fresh if not e.obsolete and e.msgid not in committed)
    assert new == [], (
        "not in the English catalogue; run makemessages (see docs/decisions/"
        "0007-translations.md) and translate them"
    )
    assert _problems(fresh) == []
