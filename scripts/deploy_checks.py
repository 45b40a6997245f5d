#!/usr/bin/env python3
"""Offline checks of what Flotilla ships, for CI (run by scripts/check-deploy):

  * the Helm chart renders and lints (strict) for the default values and every profile,
    and its values.schema.json rejects typos, wrong types and missing settings;
  * every rendered object, and every kustomize overlay under kubernetes/, validates against
    the Kubernetes 1.29, 1.30 and 1.31 schemas (strict); an unknown kind is a failure except
    for the CRD groups in ALLOWED_CRD_GROUPS;
  * the committed kubernetes/ manifests are exactly what the chart renders (drift);
  * checkov finds nothing outside the justified skip list (.checkov.yaml);
  * hadolint passes the Dockerfile;
  * the Prometheus config, recording rules and alerts pass `promtool check` and the alert
    unit tests (`promtool test rules`); the dashboards are what monitoring/grafana/dashboards.py
    writes; the chart's copies of rules and dashboards match monitoring/.

`--write` regenerates kubernetes/overlays/*/manifests.yaml, the dashboards, and the chart's
copies of rules and dashboards instead of checking them.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import kubernetes_validate
import yaml
from helm_python import Chart, lint

ROOT = pathlib.Path(__file__).resolve().parent.parent
MONITORING = ROOT / "monitoring"
CHART = ROOT / "helm" / "flotilla"
OVERLAYS = ROOT / "kubernetes" / "overlays"
PROFILES = ["chronos", "habit-tracker", "task-management", "project-management", "deepiri"]
KUBE_VERSIONS = ["1.29.0", "1.30.0", "1.31.0"]
ALLOWED_CRD_GROUPS = {"monitoring.coreos.com"}
RELEASE = {"name": "flotilla", "namespace": "flotilla"}

# What a CI render needs that an operator supplies: external databases and a key Secret.
REQUIRED = {
    "database": {"url": "postgres://flotilla:secret@postgres.example:5432/flotilla"},
    "redis": {"url": "redis://redis.example:6379/0"},
    "auth": {"signingKeysSecret": "flotilla-signing-keys"},
}
# The committed manifests: connection URLs come from a Secret the user creates (README).
KUBECTL = {
    "database": {"existingSecret": "flotilla-connections"},
    "redis": {"existingSecret": "flotilla-connections"},
    "auth": {"signingKeysSecret": "flotilla-signing-keys"},
}
# Every optional part switched on, so it is validated too.
EVERYTHING = {
    "postgresql": {"enabled": True, "password": "try-it-out"},
    "redisServer": {"enabled": True},
    "auth": {"generateSigningKey": True, "signingKeysSecret": ""},
    "metrics": {"serviceMonitor": {"enabled": True}, "prometheusRule": {"enabled": True}},
    "services": {
        "orders": {"clientSecret": "orders-restock-secret-of-32-characters"},
        "notifications": {"smtp": {"url": "smtps://mail.example.com:465", "existingSecret": "smtp-credentials", "cidrs": ["192.0.2.0/24"]}},
        "files": {
            "storage": {"backend": "s3"},
            "s3": {"endpoint": "https://s3.eu-west-1.amazonaws.com", "bucket": "flotilla-files", "region": "eu-west-1",
                   "existingSecret": "files-s3", "cidrs": ["198.51.100.0/24"]},
        },
    },
}

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL {message}")


def merge(*layers):
    result = {}
    for layer in layers:
        for key, value in layer.items():
            if isinstance(value, dict) and isinstance(result.get(key), dict):
                result[key] = merge(result[key], value)
            else:
                result[key] = value
    return result


def profile_values(profile):
    return yaml.safe_load((CHART / f"values-{profile}.yaml").read_text()) if profile in PROFILES else {}


def render(values):
    """The chart's objects for `values`, in a stable order (NOTES.txt left out)."""
    files = Chart.load(str(CHART)).render(values, is_install=True, **RELEASE)
    documents = []
    for path in sorted(files):
        if path.endswith("NOTES.txt"):
            continue
        documents += [d for d in yaml.safe_load_all(files[path]) if d]
    return documents


def check_chart():
    variants = {"default": REQUIRED, "everything": merge(REQUIRED, EVERYTHING)}
    variants.update({p: merge(REQUIRED, profile_values(p)) for p in PROFILES})
    rendered = {}
    for name, values in variants.items():
        result = lint(str(CHART), values, strict=True, namespace="flotilla", kube_version="1.30.0", quiet=True)
        # Severity 1 is information ("icon is recommended"); 2 warnings and 3 errors fail.
        messages = [m for m in result.get("messages", []) if m.get("severity", 0) >= 2]
        if messages:
            fail(f"helm lint ({name}): {messages}")
        try:
            rendered[name] = render(values)
        except Exception as error:  # noqa: BLE001 - the render error is the finding
            fail(f"render ({name}): {error}")
    print(f"ok   chart renders and lints: {', '.join(rendered)}")

    # The schema and the templates refuse bad values with a message.
    refused = {
        "a typo in a service's settings": merge(REQUIRED, {"services": {"catalog": {"replica": 3}}}),
        "a typo at the top": merge(REQUIRED, {"ingres": {"enabled": False}}),
        "a wrong type": merge(REQUIRED, {"defaults": {"drainSeconds": "five"}}),
        "an unknown route table": merge(REQUIRED, {"services": {"gateway": {"routes": "nope"}}}),
        "a call to an unknown service": merge(REQUIRED, {"services": {"orders": {"calls": ["billing"]}}}),
        "a restock client secret auth would refuse": merge(REQUIRED, {"services": {"orders": {"clientSecret": "short"}}}),
        "a mail relay URL that is not SMTP": merge(REQUIRED, {"services": {"notifications": {"smtp": {"url": "http://mail"}}}}),
        "an unknown blob store": merge(REQUIRED, {"services": {"files": {"storage": {"backend": "gcs"}}}}),
        "an s3 store without its bucket or keys": merge(REQUIRED, {"services": {"files": {"storage": {"backend": "s3"}, "s3": {"endpoint": "http://minio:9000"}}}}),
        "no database URL": {"redis": REQUIRED["redis"], "auth": REQUIRED["auth"]},
        "no signing keys": {"database": REQUIRED["database"], "redis": REQUIRED["redis"]},
    }
    for case, values in refused.items():
        try:
            render(values)
            fail(f"values with {case} rendered without an error")
        except Exception:  # noqa: BLE001 - any refusal will do; that it refused is the check
            pass
    print(f"ok   bad values refused: {len(refused)} cases")
    return rendered


def check_wiring(rendered):
    """Each service's upstream URLs, its NetworkPolicy egress, and its callees' ingress come
    from one dependency list: they must agree. And every Deployment is hardened and probed."""
    for name, documents in rendered.items():
        deployments = {d["metadata"]["labels"]["app.kubernetes.io/name"]: d for d in documents
                       if d["kind"] == "Deployment" and d["metadata"]["labels"].get("app.kubernetes.io/component") == "service"}
        policies = {d["spec"]["podSelector"]["matchLabels"].get("app.kubernetes.io/name"): d for d in documents if d["kind"] == "NetworkPolicy"}
        for service, deployment in deployments.items():
            pod = deployment["spec"]["template"]["spec"]
            container = pod["containers"][0]
            urls = {e["name"][: -len("_SERVICE_URL")].lower() for e in container["env"] if e["name"].endswith("_SERVICE_URL")}
            policy = policies.get(service)
            if policy is None:
                fail(f"{name}: {service} has no NetworkPolicy")
                continue
            egress = {peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for rule in policy["spec"]["egress"]
                      for peer in rule.get("to", []) if "podSelector" in peer and "app.kubernetes.io/name" in peer["podSelector"].get("matchLabels", {})}
            egress -= {"postgresql", "redis"}
            if urls != egress:
                fail(f"{name}: {service} calls {sorted(urls)} but may reach {sorted(egress)}")
            for upstream in urls:
                ingress = {peer["podSelector"]["matchLabels"].get("app.kubernetes.io/name") for rule in policies[upstream]["spec"]["ingress"]
                           for peer in rule.get("from", []) if "podSelector" in peer}
                if service not in ingress:
                    fail(f"{name}: {upstream} does not admit its caller {service}")
            security = container["securityContext"]
            if not (pod["securityContext"].get("runAsNonRoot") and security.get("readOnlyRootFilesystem")
                    and security.get("allowPrivilegeEscalation") is False and security["capabilities"]["drop"] == ["ALL"]
                    and pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault" and pod["automountServiceAccountToken"] is False):
                fail(f"{name}: {service} is not hardened")
            probes = (container["startupProbe"]["httpGet"]["path"], container["livenessProbe"]["httpGet"]["path"], container["readinessProbe"]["httpGet"]["path"])
            if probes != ("/live", "/live", "/ready") or "preStop" not in container.get("lifecycle", {}):
                fail(f"{name}: {service} probes {probes} or preStop missing")
    check_restock_client(rendered["everything"])
    check_mail_relay(rendered["everything"], rendered["default"])
    check_blob_store(rendered["everything"], rendered["default"])
    print("ok   wiring: upstream URLs, NetworkPolicies, hardening and probes agree")


def check_restock_client(documents):
    """orders' restock secret reaches orders and is declared to auth, from one Secret value."""
    secret = next(d for d in documents if d["kind"] == "Secret" and "orders-client-secret" in d.get("stringData", {}))
    env = {d["metadata"]["labels"]["app.kubernetes.io/name"]: {e["name"]: e for e in d["spec"]["template"]["spec"]["containers"][0]["env"]}
           for d in documents if d["kind"] == "Deployment" and d["metadata"]["labels"].get("app.kubernetes.io/component") == "service"}
    keys = {("orders", "ORDERS_CLIENT_SECRET"): "orders-client-secret", ("auth", "AUTH_SERVICE_CLIENTS"): "auth-service-clients"}
    for (service, variable), key in keys.items():
        reference = env.get(service, {}).get(variable, {}).get("valueFrom", {}).get("secretKeyRef", {})
        if reference.get("key") != key or reference.get("name") != secret["metadata"]["name"]:
            fail(f"everything: {service} does not read {variable} from the Secret's {key}")
    declared = json.loads(secret["stringData"]["auth-service-clients"])
    if declared.get("orders", {}).get("secret") != secret["stringData"]["orders-client-secret"] or declared["orders"].get("scopes") != ["catalog:inventory"]:
        fail("everything: auth's declared orders client does not match ORDERS_CLIENT_SECRET")


def check_mail_relay(everything, default):
    """notifications reaches its relay (URL, credentials from the Secret, egress to its port
    only) when one is set, and otherwise writes .eml files to a writable scratch volume."""
    def notifications(documents):
        deployment = next(d for d in documents if d["kind"] == "Deployment" and d["metadata"]["labels"].get("app.kubernetes.io/name") == "notifications")
        policy = next(d for d in documents if d["kind"] == "NetworkPolicy" and d["spec"]["podSelector"]["matchLabels"].get("app.kubernetes.io/name") == "notifications")
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule.get("ports", []) if any("ipBlock" in peer for peer in rule.get("to", []))}
        return {e["name"]: e for e in container["env"]}, ports, container.get("volumeMounts", [])
    env, ports, mounts = notifications(everything)
    if env.get("NOTIFICATIONS_SMTP_URL", {}).get("value") != "smtps://mail.example.com:465":
        fail("everything: notifications does not get NOTIFICATIONS_SMTP_URL")
    for variable, key in (("NOTIFICATIONS_SMTP_USERNAME", "username"), ("NOTIFICATIONS_SMTP_PASSWORD", "password")):
        if env.get(variable, {}).get("valueFrom", {}).get("secretKeyRef") != {"name": "smtp-credentials", "key": key}:
            fail(f"everything: notifications does not read {variable} from the relay's Secret")
    if 465 not in ports:
        fail(f"everything: notifications may not reach its relay on 465 (egress ports {sorted(ports)})")
    env, ports, mounts = notifications(default)
    if "NOTIFICATIONS_SMTP_URL" in env or ports - {5432, 6379}:
        fail("default: notifications has a relay or SMTP egress without one configured")
    if env.get("NOTIFICATIONS_MAIL_DIR", {}).get("value") not in {m["mountPath"] for m in mounts}:
        fail("default: notifications' mail directory is not a mounted, writable volume")


def check_blob_store(everything, default):
    """files keeps its blobs on a claimed volume by default (recreated, one pod at a time), and
    in a bucket with backend s3: keys from the Secret, scratch on an emptyDir, no claim, egress
    to the store's port only."""
    def files(documents):
        deployment = next(d for d in documents if d["kind"] == "Deployment" and d["metadata"]["labels"].get("app.kubernetes.io/name") == "files")
        policy = next(d for d in documents if d["kind"] == "NetworkPolicy" and d["spec"]["podSelector"]["matchLabels"].get("app.kubernetes.io/name") == "files")
        spec = deployment["spec"]["template"]["spec"]
        env = {e["name"]: e for e in spec["containers"][0]["env"]}
        ports = {p["port"] for rule in policy["spec"]["egress"] for p in rule.get("ports", []) if any("ipBlock" in peer for peer in rule.get("to", []))}
        claims = [d for d in documents if d["kind"] == "PersistentVolumeClaim" and d["metadata"]["name"].endswith("files-blobs")]
        return deployment, env, {v["name"]: v for v in spec.get("volumes", [])}, ports, claims
    deployment, env, volumes, ports, claims = files(everything)
    if env.get("FILES_STORE", {}).get("value") != "s3" or env.get("FILES_S3_BUCKET", {}).get("value") != "flotilla-files":
        fail("everything: files is not pointed at its bucket")
    for variable, key in (("FILES_S3_ACCESS_KEY_ID", "access-key-id"), ("FILES_S3_SECRET_ACCESS_KEY", "secret-access-key")):
        if env.get(variable, {}).get("valueFrom", {}).get("secretKeyRef") != {"name": "files-s3", "key": key}:
            fail(f"everything: files does not read {variable} from the store's Secret")
    if "emptyDir" not in volumes.get("blobs", {}) or claims or ports != {443}:
        fail(f"everything: with s3 files should have scratch on an emptyDir, no claim and egress to 443 only (ports {sorted(ports)})")
    deployment, env, volumes, ports, claims = files(default)
    if env.get("FILES_STORE", {}).get("value") != "volume" or "persistentVolumeClaim" not in volumes.get("blobs", {}) or len(claims) != 1:
        fail("default: files does not keep its blobs on its claim")
    if deployment["spec"]["strategy"]["type"] != "Recreate" or ports - {5432, 6379}:
        fail("default: files on a ReadWriteOnce claim must roll out by recreating, with no egress outside the fleet")


def validate_schemas(documents, label):
    for version in KUBE_VERSIONS:
        for document in documents:
            kind = f"{document.get('kind')} {document.get('metadata', {}).get('name')}"
            try:
                kubernetes_validate.validate(document, version, strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                group = document.get("apiVersion", "").split("/")[0]
                if group not in ALLOWED_CRD_GROUPS:
                    fail(f"{label}: no {version} schema for {document.get('apiVersion')} {kind}")
            except kubernetes_validate.ValidationError as error:
                fail(f"{label}: {kind} is invalid for {version}: {error.message}")
    print(f"ok   {label}: {len(documents)} objects against Kubernetes {', '.join(KUBE_VERSIONS)}")


def kubectl_manifests(profile):
    values = merge(KUBECTL, profile_values(profile))
    header = f"# Rendered from helm/flotilla ({'values.yaml' if profile == 'all' else f'values-{profile}.yaml'}) by scripts/check-deploy --write. Do not edit.\n"
    return header + yaml.safe_dump_all(render(values), sort_keys=True)


def overlay_documents(overlay):
    """What `kubectl kustomize` builds for our overlays (resources plus a namespace)."""
    kustomization = yaml.safe_load((overlay / "kustomization.yaml").read_text())
    documents = []
    for resource in kustomization.get("resources", []):
        documents += [d for d in yaml.safe_load_all((overlay / resource).read_text()) if d]
    for document in documents:
        document.setdefault("metadata", {})["namespace"] = kustomization.get("namespace", "default")
    return documents


def check_manifests(write):
    for profile in ["all"] + PROFILES:
        target = OVERLAYS / profile / "manifests.yaml"
        expected = kubectl_manifests(profile)
        if write:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(expected)
            (target.parent / "kustomization.yaml").write_text(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: flotilla\nresources:\n  - manifests.yaml\n")
        elif not target.exists() or target.read_text() != expected:
            fail(f"{target.relative_to(ROOT)} differs from the chart: run scripts/check-deploy --write and commit")
        validate_schemas(overlay_documents(target.parent), f"overlay {profile}")


def check_checkov(rendered):
    with tempfile.TemporaryDirectory() as directory:
        for name, documents in rendered.items():
            # As `helm install --namespace flotilla` places them.
            for document in documents:
                document.setdefault("metadata", {}).setdefault("namespace", RELEASE["namespace"])
            (pathlib.Path(directory) / f"{name}.yaml").write_text(yaml.safe_dump_all(documents))
        result = subprocess.run(
            ["checkov", "--directory", directory, "--framework", "kubernetes", "--skip-download", "--quiet", "--compact",
             "--output", "json", "--config-file", str(ROOT / ".checkov.yaml")],
            capture_output=True, text=True)
    reports = json.loads(result.stdout or "[]")
    reports = reports if isinstance(reports, list) else [reports]
    failed = [check for report in reports for check in report.get("results", {}).get("failed_checks", [])]
    for check in failed:
        fail(f"checkov {check['check_id']} ({check['check_name']}) on {check['resource']} in {pathlib.Path(check['file_path']).name}")
    passed = sum(report.get("summary", {}).get("passed", 0) for report in reports)
    if not failed:
        print(f"ok   checkov: {passed} checks passed, none failed")


def check_monitoring(write):
    sys.path.insert(0, str(MONITORING / "grafana"))
    import dashboards  # monitoring/grafana/dashboards.py

    copies = {MONITORING / "grafana" / "dashboards" / name: text for name, text in dashboards.render().items()}
    for path in sorted((MONITORING / "grafana" / "dashboards").glob("*.json")) + sorted(copies):
        copies.setdefault(path, None)
    rules = sorted((MONITORING / "prometheus" / "rules").glob("*.yml"))
    for path in rules:
        copies[CHART / "files" / "prometheus" / (path.stem + ".yaml")] = path.read_text()
    for name, text in dashboards.render().items():
        copies[CHART / "files" / "dashboards" / name] = text
    for path, text in copies.items():
        if text is None:
            fail(f"{path.relative_to(ROOT)} is not made by monitoring/grafana/dashboards.py")
        elif write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        elif not path.exists() or path.read_text() != text:
            fail(f"{path.relative_to(ROOT)} is out of date: run scripts/check-deploy --write and commit")
    for stale in (CHART / "files" / "prometheus").glob("*.yaml"):
        if stale not in copies:
            fail(f"{stale.relative_to(ROOT)} has no source in monitoring/prometheus/rules")
    if write:
        return
    promtool = [
        ["promtool", "check", "config", str(MONITORING / "prometheus" / "prometheus.yml")],
        ["promtool", "check", "rules"] + [str(path) for path in rules],
        ["promtool", "test", "rules", str(MONITORING / "prometheus" / "tests" / "flotilla-alerts-test.yml")],
    ]
    for command in promtool:
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"{' '.join(command[:3])}: {result.stdout}{result.stderr}")
    if not failures:
        print(f"ok   monitoring: promtool config, {len(rules)} rule files and alert tests; {len(dashboards.DASHBOARDS)} dashboards current")


def check_dockerfile():
    result = subprocess.run(["hadolint", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"hadolint: {result.stdout}{result.stderr}")
    else:
        print("ok   hadolint: Dockerfile clean")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="regenerate kubernetes/overlays from the chart")
    arguments = parser.parse_args()
    if arguments.write:
        # The chart's copies of rules and dashboards first: the manifests include them.
        check_monitoring(write=True)
    rendered = check_chart()
    check_wiring(rendered)
    for name, documents in rendered.items():
        validate_schemas(documents, f"chart ({name})")
    check_manifests(arguments.write)
    if not arguments.write:
        check_monitoring(write=False)
    if not arguments.write:
        check_checkov(rendered)
        check_dockerfile()
    if failures:
        print(f"\n{len(failures)} problem(s)")
        return 1
    print("\nall deployment checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
