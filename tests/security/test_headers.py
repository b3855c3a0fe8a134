"""Every HTML page carries the CSP, and HSTS when the request is https; cookies are
Secure and SameSite; ``check --deploy`` passes with the README's production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.claims.helpers import invite
from tests.security.helpers import PROXY_HEADER, Visitor
from tests.verifier.helpers import issue_ours

ROOT = Path(__file__).resolve().parents[2]
CSP_MUST_HOLD = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
)


def public_paths(patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""):
    """Every URL pattern without a parameter, outside the admin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or route.startswith("admin/") or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from public_paths(entry.url_patterns, route)
        else:
            yield "/" + route


@pytest.mark.django_db
def test_every_html_page_carries_csp_and_hsts_when_the_request_is_https(client, camille, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    credential = issue_ours()
    _, token = invite(camille)
    paths = sorted(set(public_paths())) + [
        f"/badges/{credential.public_id}",
        reverse("claim", args=[token]),
        "/obtenir/",  # without the cookie: the help page
        "/admin/login/",
        "/page-qui-n-existe-pas/",
    ]
    html_pages = 0
    for path in paths:
        response = client.get(path, HTTP_X_FORWARDED_PROTO="https", follow=True)
        if not response["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        policy = response.headers.get("Content-Security-Policy", "")
        for directive in CSP_MUST_HOLD:
            assert directive in policy, (path, policy)
        assert "unsafe" not in policy, (path, policy)
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), path
        page = response.content.decode()
        assert "<script>" not in page and " style=" not in page, path
    assert html_pages >= 8, paths


@pytest.mark.django_db
def test_no_hsts_over_plain_http(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    response = client.get("/")
    assert "Content-Security-Policy" in response.headers
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.django_db(transaction=True)
def test_a_real_server_sends_both_headers_and_secure_samesite_cookies(live_server, settings):
    settings.SECURE_PROXY_SSL_HEADER = PROXY_HEADER
    visitor = Visitor(live_server.url)
    home = visitor.get("/")
    assert home.header("Strict-Transport-Security").startswith("max-age=31536000")
    assert "script-src 'self'" in home.header("Content-Security-Policy")
    token = home.body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en"})
    cookies = {c.split("=", 1)[0]: c for c in answer.headers.get_all("Set-Cookie") or []}
    language = cookies["django_language"]
    assert "Secure" in language and "SameSite=Lax" in language and "HttpOnly" in language
    csrf = visitor.get("/renvoyer/").headers.get_all("Set-Cookie") or []
    for cookie in csrf:
        assert "Secure" in cookie and "SameSite=Lax" in cookie, cookie


def test_check_deploy_passes_with_the_production_settings_of_the_readme(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "INSIGNE_", "SECURE_", "DATABASE_"))
    }
    env.update(production_environment(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout


def production_environment(tmp_path: Path) -> dict[str, str]:
    """The block of README.md "Running at scale", read from the README itself."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- production-env -->", 2)[1]
    env = {}
    for line in block.splitlines():
        line = line.strip()
        if "=" in line and not line.startswith(("#", "`")):
            key, value = line.split("=", 1)
            env[key] = value
    assert "SECURE_HSTS_SECONDS" in env and "SECURE_PROXY_SSL_HEADER" in env, env
    # Secrets and folders are the operator's: stand-ins of the same strength here.
    env["SECRET_KEY"] = "x" * 20 + "-production-stand-in-" + "y" * 30
    env["INSIGNE_DATA_DIR"] = str(tmp_path)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "insigne.settings"
    return env
