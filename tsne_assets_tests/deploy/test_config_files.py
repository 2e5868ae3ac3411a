"""deploy/'s configuration files are valid for the tools that read them."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from tsne_assets.defs.assets.features import FEATURE_POOL, embed_feature_shard

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PG_ENV = ("DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_DB")


def compose_command() -> list[str] | None:
    """``docker compose`` where the plugin is installed, else Debian's ``docker-compose``."""
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_dagster_yaml_matches_the_instance_schema(monkeypatch):
    for name in PG_ENV:
        monkeypatch.setenv(name, "5432" if name.endswith("PORT") else "x")
    config, _ = dagster_instance_config(str(DEPLOY), "dagster.yaml")
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_retries"]["enabled"] is True
    # Runs whose worker died are marked failed, and never resumed half-way (issue 9).
    assert config["run_monitoring"]["enabled"] is True and config["run_monitoring"]["max_resume_run_attempts"] == 0
    assert config["concurrency"]["pools"]["default_limit"] >= 1
    assert embed_feature_shard.pool == FEATURE_POOL == "feature_extraction"


def test_workspace_points_at_the_code_server_over_grpc():
    (location,) = yaml.safe_load((DEPLOY / "workspace.yaml").read_text())["load_from"]
    assert location["grpc_server"]["port"] == 4000


@pytest.mark.skipif(compose_command() is None, reason="neither `docker compose` nor `docker-compose` is installed")
def test_docker_compose_file_is_valid():
    result = subprocess.run(
        [*compose_command(), "-f", str(DEPLOY / "docker-compose.yml"), "config"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres", "minio", "create-bucket", "code", "webserver", "daemon"}
    assert services["code"]["environment"]["TSNE_ASSETS_ROOT"].startswith("s3://")
    assert services["daemon"]["environment"]["TSNE_ASSETS_S3_ENDPOINT_URL"] == "http://minio:9000"


def test_helm_values_name_the_code_location_and_the_k8s_executor():
    values = yaml.safe_load((DEPLOY / "helm" / "values.yaml").read_text())
    (deployment,) = values["dagster-user-deployments"]["deployments"]
    env = {item["name"]: item["value"] for item in deployment["env"]}
    assert env["TSNE_ASSETS_EXECUTOR"] == "k8s"
    assert env["TSNE_ASSETS_ROOT"].startswith("s3://")
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "tsne_assets.defs.definitions"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    assert {"envSecrets", "runK8sConfig"} <= set(deployment)


def test_the_installed_dagster_is_in_the_capped_range():
    """The Dask executor uses Dagster internals: the cap must hold what the tests run on."""
    from importlib.metadata import requires, version

    from packaging.requirements import Requirement

    requirements = {Requirement(text).name: Requirement(text) for text in requires("tsne-assets")}
    for name in ("dagster", "dagster-webserver"):
        assert requirements[name].specifier.contains(version(name)), (name, version(name), requirements[name])
        assert any(spec.operator == "<" for spec in requirements[name].specifier), f"{name} has no upper bound"
