"""deploy/k8s as a cluster would read it: rendered offline with `kubectl
kustomize` (the base and the production overlay), parsed, and checked.

Where a property can be shown by running something, it is: the action
server, the review workspace, the migration Job and the schema wait run here
with the rendered commands and environment; Rasa's readiness probe runs
against Rasa's own HTTP app. Only ports, hosts, the database (SQLite in a
temporary folder) and the writable folders are swapped for local ones."""
from __future__ import annotations

import functools
import os
import re
import secrets
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import yaml

from bot import PROJECT_ROOT, settings
from bot.ops.serve import free_port
from tests.services import need

KUBECTL = os.environ.get("KUBECTL", "/usr/bin/kubectl")
K8S = PROJECT_ROOT / "deploy" / "k8s"
TARGETS = ["base", "overlays/production"]
SECRET_NAME = "backpain-secrets"
# What the deployer's Secret holds: the five secrets every `bot` process
# checks (bot/settings.py), the database URL, and the lock store's password.
SECRET_KEYS = {"DATABASE_URL", "REDIS_PASSWORD", *settings.DEV_SECRETS}
SERVERS = {"rasa": "backpain-rasa", "actions": "backpain-actions", "review": "backpain-review"}
# Rasa server's resident memory, measured (README "Performance": 1040-1046 MB
# peak under load; 1050 MiB after start-up and 50 messages with this command).
RASA_MEASURED_MIB = 1050
WORKLOADS = ("Deployment", "Job", "CronJob")


@functools.lru_cache(maxsize=None)
def _rendered(target: str) -> Tuple[dict, ...]:
    result = subprocess.run([KUBECTL, "kustomize", str(K8S / target)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)


def rendered(target: str) -> List[dict]:
    need("kubectl", Path(KUBECTL).is_file() and os.access(KUBECTL, os.X_OK),
         f"{KUBECTL} is missing; it renders the manifests offline")
    return list(_rendered(target))


@pytest.fixture(params=TARGETS)
def docs(request) -> List[dict]:
    return rendered(request.param)


def of_kind(docs, kind) -> List[dict]:
    return [doc for doc in docs if doc["kind"] == kind]


def named(docs, kind, name) -> dict:
    found = [doc for doc in of_kind(docs, kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind} {name}: {len(found)} found"
    return found[0]


def pod_template(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]
    return workload["spec"]["template"]


def pods(docs) -> Iterator[Tuple[str, dict]]:
    """(kind/name, pod template) of every workload."""
    for doc in docs:
        if doc["kind"] in WORKLOADS:
            yield f"{doc['kind']}/{doc['metadata']['name']}", pod_template(doc)


def containers(pod: dict) -> List[dict]:
    return pod["spec"].get("initContainers", []) + pod["spec"]["containers"]


def main_container(docs, component: str) -> dict:
    return pod_template(named(docs, "Deployment", SERVERS[component]))["spec"]["containers"][0]


def settings_data(docs) -> Dict[str, str]:
    [config] = [doc for doc in of_kind(docs, "ConfigMap")
                if doc["metadata"]["name"].startswith("backpain-settings-")]
    return config["data"]


def config_file(docs, prefix: str, key: str) -> str:
    [config] = [doc for doc in of_kind(docs, "ConfigMap") if doc["metadata"]["name"].startswith(prefix)]
    return config["data"][key]


def env_names(container: dict, docs) -> set:
    names = {entry["name"] for entry in container.get("env", [])}
    for source in container.get("envFrom", []):
        assert source["configMapRef"]["name"].startswith("backpain-settings-")
        names |= set(settings_data(docs))
    return names


def matches(selector: dict, labels: dict) -> bool:
    assert set(selector) <= {"matchLabels"}, "only matchLabels selectors are used here"
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


# ---- security ------------------------------------------------------------------


def test_every_container_is_non_root_read_only_and_without_privileges(docs):
    checked = 0
    for where, pod in pods(docs):
        pod_ctx = pod["spec"].get("securityContext", {})
        assert pod["spec"].get("automountServiceAccountToken") is False, where
        for container in containers(pod):
            ctx = container.get("securityContext", {})
            what = f"{where} {container['name']}"
            assert ctx.get("runAsNonRoot", pod_ctx.get("runAsNonRoot")) is True, what
            assert ctx.get("runAsUser", pod_ctx.get("runAsUser", 0)) > 0, what
            assert ctx.get("allowPrivilegeEscalation") is False, what
            assert ctx.get("readOnlyRootFilesystem") is True, what
            assert ctx.get("capabilities") == {"drop": ["ALL"]}, what
            seccomp = ctx.get("seccompProfile", pod_ctx.get("seccompProfile"))
            assert seccomp == {"type": "RuntimeDefault"}, what
            checked += 1
    assert checked == 9  # 3 servers and their init containers, the Job, the CronJob and its init


def test_the_image_user_is_the_uid_the_pods_run_as(docs):
    user = [line.split()[1] for line in (PROJECT_ROOT / "Dockerfile").read_text().splitlines()
            if line.startswith("USER ")][-1]
    uids = {pod["spec"]["securityContext"]["runAsUser"] for _, pod in pods(docs)}
    assert uids == {int(user.split(":")[0])}


def test_only_emptydirs_are_writable_and_the_spool_has_one(docs):
    spool_dir = str(Path(settings_data(docs)["SPOOL_PATH"]).parent)
    for where, pod in pods(docs):
        volumes = {v["name"]: v for v in pod["spec"].get("volumes", [])}
        for container in containers(pod):
            writable = {}
            for mount in container.get("volumeMounts", []):
                volume = volumes[mount["name"]]
                if "configMap" in volume:
                    assert mount.get("readOnly") is True, f"{where} {mount}"
                else:
                    assert volume["emptyDir"].get("sizeLimit"), f"{where} {volume}"
                    writable[mount["mountPath"]] = volume
            if container.get("envFrom") and container["name"] in SERVERS:
                # They read SPOOL_PATH from backpain-settings and write there.
                assert spool_dir in writable, f"{where} {container['name']} has no {spool_dir}"
            if container["name"] == "rasa":
                assert "/tmp" in writable  # the model is unpacked there


# ---- probes ----------------------------------------------------------------------

PROBE_PATHS = {"rasa": "/", "actions": "/health", "review": "/login"}


@pytest.mark.parametrize("component", sorted(SERVERS))
def test_servers_have_probes_on_their_own_port_and_health_route(docs, component):
    container = main_container(docs, component)
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container[kind]
        if component == "rasa" and kind == "readinessProbe":
            code = probe["exec"]["command"][-1]
            assert f"127.0.0.1:{ports['http']}/status?token=" in code
            assert 'os.environ["RASA_AUTH_TOKEN"]' in code
            continue
        assert probe["httpGet"]["port"] in ports, f"{kind}: no such port"
        assert probe["httpGet"]["path"] == PROBE_PATHS[component], kind


def test_rasa_readiness_probe_passes_only_with_the_token_and_a_loaded_model(tmp_path):
    """Rasa's own HTTP app (rasa.server.create_app, as `rasa run --enable-api`
    builds it) on a free port, with a stand-in model that is loaded once the
    file `loaded` exists; the rendered probe command is run against it."""
    container = main_container(rendered("base"), "rasa")
    args = container["args"]
    assert "--auth-token=$(RASA_AUTH_TOKEN)" in args
    token, port = secrets.token_urlsafe(24), free_port()
    probe = [arg.replace("127.0.0.1:5005", f"127.0.0.1:{port}")
             for arg in container["readinessProbe"]["exec"]["command"]]
    assert probe[0] == "python"
    probe[0] = sys.executable

    def run_probe(given_token):
        return subprocess.run(probe, env={"RASA_AUTH_TOKEN": given_token}, capture_output=True)

    server = subprocess.Popen([sys.executable, "-c", RASA_APP, str(port), token], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_http(f"http://127.0.0.1:{port}/", server) == 200  # the liveness route
        not_loaded = run_probe(token)
        (tmp_path / "loaded").touch()
        ready, wrong = run_probe(token), run_probe(token[::-1])
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert not_loaded.returncode != 0 and b"409" in not_loaded.stderr
    assert ready.returncode == 0, ready.stderr.decode()[-300:]
    assert wrong.returncode != 0 and b"401" in wrong.stderr


RASA_APP = textwrap.dedent("""
    import os, sys, types
    import rasa.server
    port, token = int(sys.argv[1]), sys.argv[2]
    model = types.SimpleNamespace(is_ready=lambda: os.path.exists("loaded"), model_id="m",
                                  processor=types.SimpleNamespace(model_filename="m.tar.gz"))
    app = rasa.server.create_app(agent=model, auth_token=token)
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False)
""")


def wait_http(url: str, process: subprocess.Popen, timeout: float = 90) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def local_env(docs, container: dict, fake_secrets: Dict[str, str], **overrides) -> Dict[str, str]:
    """The container's environment as Kubernetes would give it, with the Secret's
    values made up, plus the local replacements in `overrides`."""
    env = {"PATH": os.environ["PATH"]}
    if container.get("envFrom"):
        env.update(settings_data(docs))
    for entry in container.get("env", []):
        ref = entry["valueFrom"]["secretKeyRef"]
        env[entry["name"]] = fake_secrets[ref["key"]]
    env.update(overrides)
    return env


def local_command(container: dict, replace: Dict[str, str]) -> List[str]:
    command = container["command"] + container.get("args", [])
    executables = {"python": sys.executable, "bot": str(Path(sys.executable).with_name("bot"))}
    command = [executables.get(command[0], command[0])] + command[1:]
    return [replace.get(arg, arg) for arg in command]


def test_migration_job_releases_the_waiting_pods_and_the_servers_answer_their_probes(tmp_path):
    """The ordering, run: the init container waits on an empty database, the
    Job's `bot db upgrade` releases it; then the action server and the review
    workspace start with their rendered commands and answer every probe."""
    docs = rendered("base")
    fake = {key: secrets.token_urlsafe(32) for key in SECRET_KEYS}
    fake.update(REDIS_PASSWORD="", DATABASE_URL=f"sqlite:///{tmp_path / 'k8s.db'}")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "wait_for_schema.py").write_text(
        config_file(docs, "backpain-scripts-", "wait_for_schema.py"))
    writable = {"HOME": str(tmp_path), "SPOOL_PATH": str(tmp_path / "spool.db")}

    rasa_pod = pod_template(named(docs, "Deployment", "backpain-rasa"))
    [wait] = rasa_pod["spec"]["initContainers"]
    waiting = subprocess.Popen(
        local_command(wait, {"/scripts/wait_for_schema.py": str(scripts / "wait_for_schema.py")}),
        env=local_env(docs, wait, fake, SCHEMA_POLL_SECONDS="0.5", **writable), cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(4)
        assert waiting.poll() is None, waiting.communicate()[0]  # still waiting: no schema yet

        [job] = pod_template(named(docs, "Job", "backpain-migrate"))["spec"]["containers"]
        migrate = subprocess.run(local_command(job, {}), env=local_env(docs, job, fake, **writable),
                                 cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
        assert migrate.returncode == 0, migrate.stderr
        output, _ = waiting.communicate(timeout=30)
    finally:
        waiting.kill()
    assert waiting.returncode == 0 and "schema at" in output.splitlines()[-1], output

    started = []
    try:
        for component, port_arg in (("actions", "5055"), ("review", "5010")):
            container = main_container(docs, component)
            port = str(free_port())
            env = local_env(docs, container, fake, ACTION_HOST="127.0.0.1", **writable)
            process = subprocess.Popen(
                local_command(container, {port_arg: port, "0.0.0.0": "127.0.0.1"}), env=env,
                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started.append(process)
            for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                path = container[kind]["httpGet"]["path"]
                assert wait_http(f"http://127.0.0.1:{port}{path}", process) == 200, (component, kind)
            if component == "actions":  # everything but /health needs the token
                request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", data=b"{}")
                with pytest.raises(urllib.error.HTTPError, match="403"):
                    urllib.request.urlopen(request, timeout=5)
    finally:
        for process in started:
            process.terminate()
            process.wait(timeout=20)


def test_the_overlay_changes_no_container_but_its_image_and_settings():
    def shape(docs):
        text = yaml.safe_dump([c for _, pod in pods(docs) for c in containers(pod)])
        return re.sub(r"(image: .*|backpain-settings-[a-z0-9]+)", "", text)

    assert shape(rendered("overlays/production")) == shape(rendered("base"))
    base, production = (config_file(rendered(t), "backpain-rasa-config-", "endpoints.yml")
                        for t in TARGETS)
    assert base == production


# ---- the commands are `bot run`'s ---------------------------------------------------


def test_server_commands_are_the_ones_bot_run_starts(docs, monkeypatch, tmp_path):
    from bot.ops import serve

    spawned = []
    monkeypatch.setattr(serve.Stack, "_spawn", lambda self, args: spawned.append(args))
    env = settings.runtime_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                                "REDIS_URL": "redis://127.0.0.1:6379/0",
                                "RASA_CORS": "https://example.org",
                                **{name: secrets.token_urlsafe(24) for name in settings.DEV_SECRETS}})
    serve.Stack(Path("models/m.tar.gz"), env).start()
    actions, rasa, review = spawned

    def shape(args):  # the module and flags; values differ (ports, paths, tokens)
        return [arg.split("=", 1)[0] for arg in args if arg.startswith("-") or arg in ("rasa", "run")] + \
               [args[args.index("-m") + 1]]

    for component, from_bot_run in (("actions", actions), ("rasa", rasa), ("review", review)):
        container = main_container(docs, component)
        ours = container["command"][1:] + container["args"]
        assert container["command"][0] == "python"
        assert shape(ours) == shape(from_bot_run), component


# ---- resources ---------------------------------------------------------------------

UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "m": 1e-3, "": 1}


def quantity(value) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * UNITS[unit]


def test_every_container_has_requests_within_limits(docs):
    for where, pod in pods(docs):
        for container in containers(pod):
            resources = container["resources"]
            for resource in ("cpu", "memory"):
                request = quantity(resources["requests"][resource])
                limit = quantity(resources["limits"][resource])
                assert 0 < request <= limit, f"{where} {container['name']} {resource}"


def test_rasa_memory_covers_the_measured_peak_and_is_guaranteed(docs):
    resources = main_container(docs, "rasa")["resources"]
    limit = quantity(resources["limits"]["memory"])
    assert limit >= 1.25 * RASA_MEASURED_MIB * 2**20
    assert quantity(resources["requests"]["memory"]) == limit


# ---- availability ---------------------------------------------------------------------


def test_rasa_runs_two_or_more_replicas_scaled_on_cpu(docs):
    rasa = named(docs, "Deployment", "backpain-rasa")
    assert rasa["spec"]["replicas"] >= 2
    assert rasa["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    [hpa] = of_kind(docs, "HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "backpain-rasa")
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    [metric] = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"


def test_rasa_has_a_disruption_budget_that_still_lets_a_node_drain(docs):
    rasa = named(docs, "Deployment", "backpain-rasa")
    labels = rasa["spec"]["template"]["metadata"]["labels"]
    budgets = [pdb for pdb in of_kind(docs, "PodDisruptionBudget")
               if matches(pdb["spec"]["selector"], labels)]
    assert len(budgets) == 1
    assert 1 <= budgets[0]["spec"]["minAvailable"] < rasa["spec"]["replicas"]


# ---- network policies ------------------------------------------------------------------


def pod_labels(docs) -> Dict[str, dict]:
    return {where: pod["metadata"]["labels"] for where, pod in pods(docs)}


def allowed_peers(docs, labels: dict) -> List[Tuple[dict, List[int]]]:
    """(from-entry, ports) of every rule that lets traffic into pods with `labels`."""
    peers = []
    for policy in of_kind(docs, "NetworkPolicy"):
        if matches(policy["spec"]["podSelector"], labels):
            for rule in policy["spec"].get("ingress", []):
                ports = [p["port"] for p in rule.get("ports", [])]
                peers += [(peer, ports) for peer in rule["from"]]
    return peers


def test_ingress_traffic_is_denied_unless_allowed(docs):
    deny = [p for p in of_kind(docs, "NetworkPolicy") if p["spec"]["podSelector"] == {}]
    assert len(deny) == 1
    assert deny[0]["spec"]["policyTypes"] == ["Ingress"] and not deny[0]["spec"].get("ingress")
    # Nothing connects to the Job or the CronJob's pods.
    for where, labels in pod_labels(docs).items():
        if not where.startswith("Deployment/"):
            assert allowed_peers(docs, labels) == [], where


def test_only_the_public_ingress_controller_reaches_rasa(docs):
    container = main_container(docs, "rasa")
    labels = pod_template(named(docs, "Deployment", "backpain-rasa"))["metadata"]["labels"]
    [(peer, ports)] = allowed_peers(docs, labels)
    assert peer == {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}},
                    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}}}
    assert ports == [container["ports"][0]["containerPort"]]


def test_only_rasa_pods_reach_the_action_server(docs):
    container = main_container(docs, "actions")
    labels = pod_labels(docs)
    [(peer, ports)] = allowed_peers(docs, labels["Deployment/backpain-actions"])
    assert set(peer) == {"podSelector"}  # same namespace only
    selected = {where for where, pod_label in labels.items() if matches(peer["podSelector"], pod_label)}
    assert selected == {"Deployment/backpain-rasa"}
    assert ports == [container["ports"][0]["containerPort"]]


def test_only_the_internal_ingress_namespace_reaches_the_review_workspace(docs):
    container = main_container(docs, "review")
    [(peer, ports)] = allowed_peers(docs, pod_labels(docs)["Deployment/backpain-review"])
    assert peer["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": "ingress-internal"}}
    assert ports == [container["ports"][0]["containerPort"]]


# ---- secrets and configuration ---------------------------------------------------------


def test_no_secret_values_anywhere_only_references(docs):
    assert of_kind(docs, "Secret") == []
    referenced = set()
    for where, pod in pods(docs):
        for container in containers(pod):
            for entry in container.get("env", []):
                assert "value" not in entry, f"{where}: {entry['name']} has a literal value"
                ref = entry["valueFrom"]["secretKeyRef"]
                assert ref["name"] == SECRET_NAME and ref["key"] == entry["name"]
                assert not ref.get("optional"), entry["name"]
                referenced.add(ref["key"])
    assert referenced == SECRET_KEYS
    for config in of_kind(docs, "ConfigMap"):
        assert not SECRET_KEYS & set(config["data"]), config["metadata"]["name"]


def test_the_documented_secret_keys_are_the_ones_used():
    header = (K8S / "base" / "kustomization.yaml").read_text()
    documented = set(re.findall(r"^#   ([A-Z_]+) ", header, re.M))
    assert documented == SECRET_KEYS


def test_every_bot_process_gets_all_the_secrets_its_settings_check_needs(docs):
    for where, pod in pods(docs):
        for container in pod["spec"]["containers"]:
            if container["command"][0] == "bot" or container["command"][-1] == "bot.review":
                assert set(settings.DEV_SECRETS) <= env_names(container, docs), where


def test_rasa_gets_every_variable_its_endpoints_file_names(docs):
    endpoints = config_file(docs, "backpain-rasa-config-", "endpoints.yml")
    values = "\n".join(line for line in endpoints.splitlines() if not line.lstrip().startswith("#"))
    wanted = set(re.findall(r"\$\{([A-Z_]+)\}", values))
    container = main_container(docs, "rasa")
    assert wanted and wanted <= env_names(container, docs)
    args = container["args"]
    assert args[args.index("--endpoints") + 1] == "/etc/backpain/endpoints.yml"
    assert {"mountPath": "/etc/backpain", "name": "rasa-config", "readOnly": True} in container["volumeMounts"]


def test_the_endpoints_configmap_is_what_bot_run_generates(tmp_path, monkeypatch):
    """Filled in by Rasa's own ${VAR} substitution, the ConfigMap's endpoints
    file configures the same stores as bot/ops/endpoints.py does from
    REDIS_URL, down to the Redis client they open."""
    from rasa.shared.utils.io import read_yaml
    from rasa.utils.endpoints import EndpointConfig

    from bot.ops.endpoints import endpoints_file, redis_password
    from bot.server.lock_store import AtomicRedisLockStore

    redis_url = "redis://:p%40ss@cache.internal:6380/2"
    shared = {"DATABASE_URL": "postgresql://u:pw@db:5432/backpain",
              "ACTION_ENDPOINT_URL": "http://backpain-actions:5055/webhook",
              "ACTION_SERVER_TOKEN": "t" * 32, "REDIS_PASSWORD": redis_password(redis_url)}
    for name, value in {**shared, "REDIS_HOST": "cache.internal", "REDIS_PORT": "6380",
                        "REDIS_DB": "2"}.items():
        monkeypatch.setenv(name, value)
    ours = read_yaml(config_file(rendered("base"), "backpain-rasa-config-", "endpoints.yml"))
    theirs = read_yaml(endpoints_file({"REDIS_URL": redis_url}, tmp_path).read_text())

    ours_lock, theirs_lock = ours.pop("lock_store"), theirs.pop("lock_store")
    assert ours == theirs  # action endpoint and tracker store
    clients = [AtomicRedisLockStore(EndpointConfig.from_dict(c)).red.connection_pool
               for c in (ours_lock, theirs_lock)]
    assert clients[0].connection_kwargs == clients[1].connection_kwargs
    assert clients[0].connection_class is clients[1].connection_class
    assert clients[0].connection_kwargs["password"] == "p@ss"
    assert ours_lock["type"] == theirs_lock["type"] and ours_lock["key_prefix"] == theirs_lock["key_prefix"]


def test_the_credentials_configmap_is_the_repos(docs):
    ours = yaml.safe_load(config_file(docs, "backpain-rasa-config-", "credentials.yml"))
    assert ours == yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text())


# ---- migrations, purge -----------------------------------------------------------------


def test_migrations_run_once_in_a_job_and_every_database_user_waits_for_them(docs):
    job = named(docs, "Job", "backpain-migrate")
    [migrate] = pod_template(job)["spec"]["containers"]
    assert migrate["command"] == ["bot", "db", "upgrade"]
    # Its template must not change with generated (hashed) ConfigMaps: a Job's
    # pod template cannot be updated in place.
    assert "configMap" not in yaml.safe_dump(pod_template(job)) and not migrate.get("envFrom")
    script = config_file(docs, "backpain-scripts-", "wait_for_schema.py")
    assert script == (K8S / "base" / "files" / "wait_for_schema.py").read_text()
    for where, pod in pods(docs):
        if where == "Job/backpain-migrate":
            continue
        [wait] = pod["spec"]["initContainers"]
        assert wait["command"] == ["python", "/scripts/wait_for_schema.py"], where
        assert "DATABASE_URL" in env_names(wait, docs)
        volume = {v["name"]: v for v in pod["spec"]["volumes"]}[wait["volumeMounts"][0]["name"]]
        assert volume["configMap"]["name"].startswith("backpain-scripts-"), where


def test_nightly_purge_uses_the_retention_setting(docs):
    [cron] = of_kind(docs, "CronJob")
    assert re.fullmatch(r"\d+ \d+ \* \* \*", cron["spec"]["schedule"])  # once a day
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    [purge] = pod_template(cron)["spec"]["containers"]
    assert purge["command"] == ["bot", "transcripts", "purge"]  # no --older-than: RETENTION_DAYS
    assert settings.retention_days(settings_data(docs)) >= 1
    assert "RETENTION_DAYS" in env_names(purge, docs)


# ---- images ----------------------------------------------------------------------------


@pytest.mark.parametrize("target,image", [
    ("base", "backpain-assistant"),
    ("overlays/production", "registry.example-plan.org/backpain/backpain-assistant:0.1.0")])
def test_every_container_runs_the_one_image(target, image):
    images = {c["image"] for _, pod in pods(rendered(target)) for c in containers(pod)}
    assert images == {image}


# ---- public exposure -----------------------------------------------------------------------

PUBLIC = ["/webhooks/widget/webhook", "/webhooks/widget/widget.js", "/webhooks/widget/history",
          "/webhooks/sms/webhook", "/webhooks/sms/status"]
PRIVATE = ["/webhooks/rest/webhook", "/conversations/abc/tracker", "/model/parse", "/status",
           "/", "/webhooks/widgets", "/webhooks/smsx/webhook", "/version"]


def routed(path: str, rule_path: str) -> bool:
    """Kubernetes' pathType Prefix: whole path segments."""
    prefix = rule_path.rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def test_the_public_ingress_routes_only_the_widget_and_sms_webhooks_over_tls(docs):
    from bot.server.channels.sms import SmsInput
    from bot.server.channels.widget import WidgetInput

    public = [i for i in of_kind(docs, "Ingress") if i["spec"]["ingressClassName"] == "nginx"]
    paths = []
    for ingress in public:
        tls_hosts = {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}
        for rule in ingress["spec"]["rules"]:
            assert rule["host"] in tls_hosts
            for path in rule["http"]["paths"]:
                assert path["pathType"] == "Prefix"
                assert path["backend"]["service"] == {"name": "backpain-rasa", "port": {"name": "http"}}
                paths.append(path["path"])
    # Rasa serves each channel under /webhooks/<its name>/.
    assert sorted(paths) == sorted(f"/webhooks/{c.name()}/" for c in (SmsInput, WidgetInput))
    for url in PUBLIC:
        assert any(routed(url, p) for p in paths), url
    for url in PRIVATE:
        assert not any(routed(url, p) for p in paths), url
    service = named(docs, "Service", "backpain-rasa")
    assert [p["name"] for p in service["spec"]["ports"]] == ["http"]


def test_the_review_workspace_is_only_on_the_internal_ingress(docs):
    by_backend = {}
    for ingress in of_kind(docs, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                by_backend.setdefault(path["backend"]["service"]["name"], set()).add(
                    ingress["spec"]["ingressClassName"])
    assert by_backend == {"backpain-rasa": {"nginx"}, "backpain-review": {"nginx-internal"}}
