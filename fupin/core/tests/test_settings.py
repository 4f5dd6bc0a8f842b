import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = (
    "import json, config.settings as s; print(json.dumps({'debug': s.DEBUG, 'secure': s.SESSION_COOKIE_SECURE,"
    " 'csrf_secure': s.CSRF_COOKIE_SECURE, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE, 'key': s.SECRET_KEY,"
    " 'db': s.DATABASES['default']['NAME'], 'engine': s.DATABASES['default']['ENGINE'],"
    " 'hasher': s.PASSWORD_HASHERS[0]}))"
)


def settings_in(env: dict) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_", "DATABASE_URL"))}
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**clean, **env},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def test_defaults_are_secure_chinese_and_sqlite_under_fupin_home(tmp_path):
    found = settings_in({"FUPIN_HOME": str(tmp_path)})
    assert found["debug"] is False
    assert found["secure"] is True and found["csrf_secure"] is True
    assert (found["lang"], found["tz"]) == ("zh-hans", "Asia/Shanghai")
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["db"] == str(tmp_path / "fupin.sqlite3")
    assert found["hasher"].endswith("Argon2PasswordHasher")


def test_secret_key_is_generated_once_into_fupin_home(tmp_path):
    first = settings_in({"FUPIN_HOME": str(tmp_path)})["key"]
    second = settings_in({"FUPIN_HOME": str(tmp_path)})["key"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert (
        settings_in({"FUPIN_HOME": str(tmp_path), "FUPIN_SECRET_KEY": "from-env"})["key"]
        == "from-env"
    )


def test_database_url_selects_postgresql(tmp_path):
    found = settings_in(
        {"FUPIN_HOME": str(tmp_path), "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"}
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db"] == "x"


def test_debug_turns_secure_cookies_off(tmp_path):
    found = settings_in({"FUPIN_HOME": str(tmp_path), "FUPIN_DEBUG": "1"})
    assert found["debug"] is True and found["secure"] is False


def test_sqlite_connections_get_a_page_cache_sized_for_a_city(tmp_path):
    probe = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        " django.setup(); from django.db import connection; c = connection.cursor();"
        " print(c.execute('PRAGMA cache_size').fetchone()[0],"
        " c.execute('PRAGMA journal_mode').fetchone()[0])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FUPIN_", "DATABASE_URL"))}

    def pragmas(env: dict) -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", probe],
            env={**clean, "FUPIN_HOME": str(tmp_path), **env},
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()

    assert pragmas({}) == [str(-64 * 1024), "wal"]  # 64 MiB, not SQLite's 2 MB
    assert pragmas({"FUPIN_SQLITE_CACHE_MB": "16"})[0] == str(-16 * 1024)
