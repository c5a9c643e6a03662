"""Production settings pass Django's deployment checklist with no warning at all."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_with_production_settings_reports_no_issues(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TUMAINI_") and name != "DATABASE_URL"
    }
    env.update(
        TUMAINI_DATA_DIR=str(tmp_path / "data"),
        TUMAINI_DEBUG="0",
        TUMAINI_ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
