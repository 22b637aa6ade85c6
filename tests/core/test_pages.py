"""The UI shell: home page, language switch, menus by role, OpenAPI, admin, CLI token."""

from django.core.management import call_command

from onedata.core import services
from onedata.core.models import ApiToken


def test_home_lists_every_service(db, client):
    page = client.get("/")
    assert page.status_code == 200
    keys = [service.key for service in page.context["services"]]
    assert keys == [
        "onedata",
        "data",
        "hospitals",
        "clinics",
        "attendance",
        "villagefinance",
        "factcheck",
    ]


def test_home_is_indonesian_by_default_and_english_after_the_switch(db, client):
    assert '<html lang="id">' in client.get("/").content.decode()
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert answer.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


def test_audit_log_is_in_the_menu_only_for_platform_admins(people, client_for):
    admin_page = client_for(people["platform_admin"]).get("/").content.decode()
    citizen_page = client_for(people["citizen"]).get("/").content.decode()
    assert 'href="/audit/"' in admin_page
    assert 'href="/audit/"' not in citizen_page


def test_account_page_needs_login(db, client):
    answer = client.get("/akun/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/masuk/?next=")


def test_openapi_describes_the_core_api(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Bali One Data API"
    assert "/api/v1/core/tokens" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower()  # swagger assets are served from our static files


def test_unknown_api_path_answers_the_error_envelope(db, client):
    answer = client.get("/api/v1/core/nothing-here")
    assert answer.status_code == 404


def test_admin_site_refuses_non_staff(people, client_for):
    answer = client_for(people["badung_admin"]).get("/admin/")
    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]


def test_token_command_prints_a_working_token(people, client, capsys):
    call_command("issue_token", "warga", name="cli")
    token = capsys.readouterr().out.strip()
    assert token.startswith("od_")
    assert client.get("/api/v1/core/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert ApiToken.objects.get(user=people["citizen"]).name == "cli"


def test_seed_is_idempotent_and_creates_one_login_per_role(db):
    from onedata.core.demo import DEMO_USERS, seed
    from onedata.core.models import Membership, User
    from onedata.core.roles import Role

    seed()
    counts = (User.objects.count(), Membership.objects.count())
    seed()
    assert (User.objects.count(), Membership.objects.count()) == counts
    assert {role for _, _, role, _ in DEMO_USERS} == set(Role.values)


def test_security_headers_on_pages(db, client):
    answer = client.get("/")
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["X-Frame-Options"] == "DENY"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["X-Request-ID"]


def test_services_are_unaffected_by_tokens_left_unused(people):
    issued = services.api_token_create(
        actor=people["citizen"], user=people["citizen"], name="unused"
    )
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is None


def test_pages_carry_a_content_security_policy_without_inline_script(db, client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_style():
    """A CSP without 'unsafe-inline' needs templates with no inline code to stay working."""
    import re
    from pathlib import Path

    import onedata

    # JSON data blocks (application/json, JSON-LD) are not run, so the CSP does not apply.
    inline_script = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I
    )
    # Event handlers are "on" + letters (onclick=, onLoad=); a template keyword such as
    # ``{% include ... with on_page=True %}`` has an underscore and is not one.
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    problems = []
    for template in Path(onedata.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or " style=" in text or handler.search(text):
            problems.append(str(template))
    assert problems == []


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "ONEDATA_MODE": "production",
        "SECRET_KEY": "p" * 20 + "Q9x!" * 10,
        "EMAIL_URL": "console://",
        "SECURE_SSL": "true",
        "ALLOWED_HOSTS": "data.baliprov.go.id",
        "ONEDATA_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "onedata.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
