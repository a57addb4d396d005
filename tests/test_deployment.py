"""The several-servers deployment example (compose.yaml, deploy/) is consistent: every file it
names exists, both app servers share the PostgreSQL records and the indicators volume, and the
load balancer keeps a browser on one server. (Docker itself is not run here.)"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_every_file_the_example_names_exists():
    services = compose()["services"]
    for service in services.values():
        build = service.get("build")
        if build:
            assert (ROOT / build["context"] / build["dockerfile"]).is_file()
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), source


def test_two_app_servers_share_the_records_and_the_data():
    services = compose()["services"]
    apps = [services["app-1"], services["app-2"]]
    assert apps[0] == apps[1]
    url = apps[0]["environment"]["JC_RECORDS_URL"]
    assert url.startswith("postgresql://") and "@postgres:5432/records" in url
    assert "data:/data" in apps[0]["volumes"] and "data:/data" in services["build"]["volumes"]
    assert apps[0]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert apps[0]["depends_on"]["build"]["condition"] == "service_completed_successfully"


def test_the_load_balancer_keeps_each_browser_on_one_server():
    caddy = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy app-1:8501 app-2:8501" in caddy
    assert "lb_policy cookie" in caddy
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "--server.port=8501" in dockerfile and "sh setup.sh" in dockerfile
