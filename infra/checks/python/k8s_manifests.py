#!/usr/bin/env python3
"""Validates rendered Kubernetes manifests offline.

Every object of every rendered overlay is checked against a schema, and the
platform's own rules are checked on top:

* Built-in kinds (apps/v1 Deployment, v1 Service, networking.k8s.io/v1
  NetworkPolicy, ...): the strict JSON schemas of the chosen Kubernetes
  version shipped in the `kubernetes-validate` package (PyPI). Strict means
  unknown fields are errors (what `kubectl apply` with the default
  --validate=strict rejects too), and required fields must be present.
* Custom resources (cert-manager, Strimzi, MongoDB Community Operator): the
  openAPIV3Schema of the CRD of the pinned operator version, made strict the
  way the API server is: at every structural object with declared properties,
  unknown fields are errors unless x-kubernetes-preserve-unknown-fields says
  otherwise. `metadata` is checked against ObjectMeta.
* A kind with no schema at all is an error, never skipped.

Not checked: CEL rules (x-kubernetes-validations) of the CRDs, admission
webhooks, and anything only a live API server knows (quotas, existing objects).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from common import Report, load_yaml_documents

CLUSTER_SCOPED_BUILTIN = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PersistentVolume",
    "StorageClass",
    "PriorityClass",
    "IngressClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
}
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet"}
APP_COMPONENTS = {"authority-service", "gateway"}


# --- schemas -----------------------------------------------------------------


class BuiltinSchemas:
    """The strict JSON schemas of one Kubernetes version from kubernetes-validate."""

    def __init__(self, version: str) -> None:
        import kubernetes_validate

        root = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"
        major_minor = ".".join(version.lstrip("v").split(".")[:2])
        self.dir = root / f"v{major_minor}.0-local-strict"
        if not self.dir.is_dir():
            available = sorted(p.name for p in root.iterdir() if p.name.endswith("-local-strict"))
            raise SystemExit(f"kubernetes-validate has no schemas for {version}; it has {', '.join(available)}")
        self.version = major_minor
        defs = json.loads((self.dir / "_definitions.json").read_text())
        self.defs = defs
        self.registry = Resource.from_contents(defs) @ Registry()
        self.validators: dict[str, jsonschema.protocols.Validator | None] = {}

    def validator(self, api_version: str, kind: str):
        api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
        name = f"{kind.lower()}-{api}.json"
        if name not in self.validators:
            path = self.dir / name
            if not path.exists():
                self.validators[name] = None
            else:
                schema = json.loads(path.read_text())
                # Only accept a schema that was generated for exactly this group/version/kind.
                gvk = schema.get("x-kubernetes-group-version-kind", [])
                group, _, version = api_version.rpartition("/")
                if not any(g.get("group", "") == group and g["version"] == version and g["kind"] == kind for g in gvk):
                    self.validators[name] = None
                else:
                    registry = Resource.from_contents(schema) @ self.registry
                    self.validators[name] = jsonschema.Draft202012Validator(schema, registry=registry)
        return self.validators[name]


def strict_crd_schema(node: Any, structural: bool = True) -> Any:
    """Turns an openAPIV3Schema into JSON Schema with the API server's strictness.

    Unknown fields are rejected at structural nodes that declare properties (the
    API server prunes them, and `kubectl apply` in strict mode rejects them);
    value-validation branches (anyOf/oneOf/allOf/not) are left as written.
    """
    if isinstance(node, list):
        return [strict_crd_schema(n, structural) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("anyOf", "oneOf", "allOf"):
            out[key] = [strict_crd_schema(v, False) for v in value]
        elif key == "not":
            out[key] = strict_crd_schema(value, False)
        elif key == "properties":
            out[key] = {k: strict_crd_schema(v, structural) for k, v in value.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            out[key] = strict_crd_schema(value, structural)
        elif key.startswith("x-kubernetes-") or key in ("nullable", "default", "description", "example"):
            continue
        else:
            out[key] = value
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        if "anyOf" not in node:
            out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    if (
        structural
        and "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    if node.get("x-kubernetes-embedded-resource") and "properties" in out:
        # An embedded object (e.g. a PVC template) always allows apiVersion/kind/metadata.
        for field in ("apiVersion", "kind"):
            out["properties"].setdefault(field, {"type": "string"})
        out["properties"].setdefault("metadata", {"type": "object"})
    return out


class CrdSchemas:
    """Schemas of custom resources from CustomResourceDefinition YAML files."""

    def __init__(self, dirs: list[Path], builtin: BuiltinSchemas) -> None:
        self.schemas: dict[tuple[str, str, str], tuple[dict, str, str]] = {}
        self.builtin = builtin
        self.sources: list[str] = []
        for d in dirs:
            files = sorted(d.rglob("*.yaml")) + sorted(d.rglob("*.yml"))
            if not files:
                raise SystemExit(f"no CRD files in {d}")
            for f in files:
                for doc in load_yaml_documents(f, generated=True):
                    if isinstance(doc, dict) and doc.get("kind") == "CustomResourceDefinition":
                        self._add(doc, f)
            self.sources.append(str(d))
        self.validators: dict[tuple[str, str, str], Any] = {}

    def _add(self, crd: dict, source: Path) -> None:
        spec = crd["spec"]
        group, kind, scope = spec["group"], spec["names"]["kind"], spec["scope"]
        for version in spec["versions"]:
            if not version.get("served", True):
                continue
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            if schema is None:
                raise SystemExit(f"{source}: {kind} {version['name']} has no openAPIV3Schema")
            self.schemas[(group, version["name"], kind)] = (schema, scope, str(source))

    def lookup(self, api_version: str, kind: str):
        group, _, version = api_version.rpartition("/")
        return self.schemas.get((group, version, kind))

    def validator(self, api_version: str, kind: str):
        key = (api_version, kind, "")
        if key not in self.validators:
            found = self.lookup(api_version, kind)
            if found is None:
                self.validators[key] = None
            else:
                schema = strict_crd_schema(found[0])
                props = schema.setdefault("properties", {})
                props["metadata"] = {"$ref": "/api/_definitions.json#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
                props["apiVersion"] = {"const": api_version}
                props["kind"] = {"const": kind}
                schema["additionalProperties"] = False
                schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
                # Resolves "/api/_definitions.json" (ObjectMeta) against kubernetes-validate's definitions.
                schema["$id"] = f"https://kubernetes.io/api/crd/{api_version}/{kind.lower()}"
                self.validators[key] = jsonschema.Draft202012Validator(schema, registry=self.builtin.registry)
        return self.validators[key]


# --- the platform's rules ----------------------------------------------------


def name_of(obj: dict) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{obj.get('kind')}/{(ns + '/') if ns else ''}{meta.get('name')}"


def pod_spec(obj: dict) -> dict | None:
    if obj.get("kind") in WORKLOAD_KINDS:
        return ((obj.get("spec") or {}).get("template") or {}).get("spec")
    return None


def template_labels(obj: dict) -> dict:
    return (((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}


def selector_matches(selector: dict | None, labels: dict) -> bool:
    if not selector:
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def check_rules(objs: list[dict], where: str, report: Report, external_secrets: set[str], crds: CrdSchemas) -> None:
    by_kind: dict[str, list[dict]] = {}
    for o in objs:
        by_kind.setdefault(o.get("kind", ""), []).append(o)
    names = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o in objs}

    # Secrets are referenced, never committed: none may be rendered.
    for s in by_kind.get("Secret", []):
        report.error(f"{where} {name_of(s)}", "a Secret is rendered from the repository; reference secrets, never commit them")

    # Every namespaced object has a namespace after rendering.
    for o in objs:
        kind = o.get("kind")
        scope = None
        found = crds.lookup(o.get("apiVersion", ""), kind)
        if found:
            scope = found[1]
        elif kind in CLUSTER_SCOPED_BUILTIN:
            scope = "Cluster"
        else:
            scope = "Namespaced"
        if scope == "Namespaced" and not (o.get("metadata") or {}).get("namespace"):
            report.error(f"{where} {name_of(o)}", "namespaced object without metadata.namespace")

    # Secrets the workloads expect: produced by cert-manager or the MongoDB
    # operator from rendered resources, or listed as created out of band.
    produced: set[str] = set()
    for c in by_kind.get("Certificate", []):
        produced.add(c["spec"]["secretName"])
    for m in by_kind.get("MongoDBCommunity", []):
        for u in m["spec"].get("users", []):
            if "connectionStringSecretName" in u:
                produced.add(u["connectionStringSecretName"])
            if "scramCredentialsSecretName" in u:
                produced.add(u["scramCredentialsSecretName"])
    for i in by_kind.get("Ingress", []):
        for t in (i.get("spec") or {}).get("tls") or []:
            if t.get("secretName") and "cert-manager.io/cluster-issuer" in ((i.get("metadata") or {}).get("annotations") or {}):
                produced.add(t["secretName"])
    issuer_secrets = [(i, (i["spec"].get("ca") or {}).get("secretName")) for i in by_kind.get("Issuer", [])]
    for issuer, secret in issuer_secrets:
        if secret and secret not in produced and secret not in external_secrets:
            report.error(f"{where} {name_of(issuer)}", f"CA secret {secret!r} is neither issued here nor listed in k8s/external-secrets.txt")
    for m in by_kind.get("MongoDBCommunity", []):
        for u in m["spec"].get("users", []):
            ref = (u.get("passwordSecretRef") or {}).get("name")
            if ref and ref not in external_secrets:
                report.error(f"{where} {name_of(m)}", f"password secret {ref!r} of user {u['name']!r} is not listed in k8s/external-secrets.txt")

    for o in objs:
        spec = pod_spec(o)
        if spec is None:
            continue
        here = f"{where} {name_of(o)}"
        labels = template_labels(o)
        is_app = labels.get("app.kubernetes.io/component") in APP_COMPONENTS
        # Pod security: non-root, no privilege escalation, read-only root, no capabilities.
        psc = spec.get("securityContext") or {}
        if psc.get("runAsNonRoot") is not True:
            report.error(here, "pod securityContext.runAsNonRoot must be true")
        if (psc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
            report.error(here, "pod securityContext.seccompProfile.type must be RuntimeDefault")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            report.error(here, "host namespaces are not allowed")
        volumes = {v["name"]: v for v in spec.get("volumes") or []}
        claims = {t["metadata"]["name"] for t in (o.get("spec") or {}).get("volumeClaimTemplates") or []}
        for v in volumes.values():
            if "hostPath" in v:
                report.error(here, f"hostPath volume {v['name']!r} is not allowed")
        for c in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            cwhere = f"{here} container {c.get('name')!r}"
            image = c.get("image", "")
            if "@" not in image and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
                report.error(cwhere, f"image {image!r} must be pinned to a tag other than latest (or a digest)")
            sc = c.get("securityContext") or {}
            if sc.get("allowPrivilegeEscalation") is not False:
                report.error(cwhere, "securityContext.allowPrivilegeEscalation must be false")
            if sc.get("readOnlyRootFilesystem") is not True:
                report.error(cwhere, "securityContext.readOnlyRootFilesystem must be true")
            if sc.get("privileged"):
                report.error(cwhere, "privileged containers are not allowed")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                report.error(cwhere, "securityContext.capabilities.drop must contain ALL")
            res = c.get("resources") or {}
            for kind, keys in (("requests", ("cpu", "memory")), ("limits", ("cpu", "memory"))):
                for k in keys:
                    if k not in (res.get(kind) or {}):
                        report.error(cwhere, f"resources.{kind}.{k} is missing")
            if c in (spec.get("containers") or []):
                for probe in ("readinessProbe", "livenessProbe"):
                    if probe not in c:
                        report.error(cwhere, f"{probe} is missing")
            for m in c.get("volumeMounts") or []:
                if m["name"] not in volumes and m["name"] not in claims:
                    report.error(cwhere, f"volumeMount {m['name']!r} names no volume")
            for env in c.get("env") or []:
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref and ref["name"] not in produced and ref["name"] not in external_secrets:
                    report.error(cwhere, f"env {env['name']} reads secret {ref['name']!r}, which nothing here produces and k8s/external-secrets.txt does not list")
                cref = (env.get("valueFrom") or {}).get("configMapKeyRef")
                if cref and ("ConfigMap", cref["name"]) not in names:
                    report.error(cwhere, f"env {env['name']} reads ConfigMap {cref['name']!r}, which is not rendered")
        for v in volumes.values():
            sources = [v] + [s for s in (v.get("projected") or {}).get("sources") or []]
            for s in sources:
                if "configMap" in s and ("ConfigMap", s["configMap"]["name"]) not in names:
                    report.error(here, f"volume {v['name']!r} mounts ConfigMap {s['configMap']['name']!r}, which is not rendered")
                sec = s.get("secret") or {}
                sname = sec.get("secretName") or sec.get("name")
                if sname and sname not in produced and sname not in external_secrets:
                    report.error(here, f"volume {v['name']!r} mounts secret {sname!r}, which nothing here produces and k8s/external-secrets.txt does not list")
        sa = spec.get("serviceAccountName")
        if sa and ("ServiceAccount", sa) not in names:
            report.error(here, f"serviceAccountName {sa!r} is not rendered")

        if o["kind"] == "Deployment" and is_app:
            if not any(selector_matches(p["spec"].get("selector"), labels) for p in by_kind.get("PodDisruptionBudget", [])):
                report.error(here, "no PodDisruptionBudget selects its pods")
            hpas = [h for h in by_kind.get("HorizontalPodAutoscaler", []) if h["spec"]["scaleTargetRef"]["name"] == o["metadata"]["name"]]
            if not hpas:
                report.error(here, "no HorizontalPodAutoscaler scales it")
            consumes = ((o["metadata"].get("annotations") or {}).get("buergerservice.leipzig.de/consumes"))
            if consumes is None:
                report.error(here, "annotation buergerservice.leipzig.de/consumes is missing (empty when it consumes nothing)")
            elif consumes:
                topics = {t["metadata"]["name"]: t for t in by_kind.get("KafkaTopic", [])}
                partitions = []
                for topic in consumes.split(","):
                    t = topics.get(topic.strip())
                    if t is None:
                        report.error(here, f"consumes topic {topic!r}, which has no KafkaTopic")
                    elif isinstance(t["spec"].get("partitions"), int):
                        partitions.append(t["spec"]["partitions"])
                for h in hpas:
                    if partitions and h["spec"]["maxReplicas"] > min(partitions):
                        report.error(
                            f"{where} {name_of(h)}",
                            f"maxReplicas {h['spec']['maxReplicas']} exceeds the {min(partitions)} partitions of the topics "
                            f"{o['metadata']['name']} consumes: the extra consumers would idle",
                        )

    # Services, PDBs and autoscalers must point at something.
    pods = [(o, template_labels(o)) for o in objs if pod_spec(o) is not None]
    for s in by_kind.get("Service", []):
        sel = (s.get("spec") or {}).get("selector")
        if sel and not any(all(lbl.get(k) == v for k, v in sel.items()) for _, lbl in pods):
            report.error(f"{where} {name_of(s)}", f"selector {sel} matches no pod template")
        for port in (s.get("spec") or {}).get("ports") or []:
            target = port.get("targetPort")
            if isinstance(target, str):
                matched = [o for o, lbl in pods if sel and all(lbl.get(k) == v for k, v in sel.items())]
                if matched and not any(
                    p.get("name") == target for o in matched for c in pod_spec(o).get("containers", []) for p in c.get("ports") or []
                ):
                    report.error(f"{where} {name_of(s)}", f"targetPort {target!r} is no named container port of its pods")
    for p in by_kind.get("PodDisruptionBudget", []):
        if not any(selector_matches(p["spec"].get("selector"), lbl) for _, lbl in pods):
            report.error(f"{where} {name_of(p)}", "selector matches no pod template")
    for h in by_kind.get("HorizontalPodAutoscaler", []):
        ref = h["spec"]["scaleTargetRef"]
        if (ref["kind"], ref["name"]) not in names:
            report.error(f"{where} {name_of(h)}", f"scaleTargetRef {ref['kind']}/{ref['name']} is not rendered")
    for i in by_kind.get("Ingress", []):
        for rule in (i.get("spec") or {}).get("rules") or []:
            for path in ((rule.get("http") or {}).get("paths")) or []:
                svc = path["backend"].get("service", {}).get("name")
                if svc and ("Service", svc) not in names:
                    report.error(f"{where} {name_of(i)}", f"backend service {svc!r} is not rendered")
    # Deny by default: each namespace with workloads has a policy selecting
    # every pod with no allowed traffic in either direction.
    namespaces = {(o.get("metadata") or {}).get("namespace") for o, _ in pods}
    for ns in namespaces:
        if not any(
            (np.get("metadata") or {}).get("namespace") == ns
            and np["spec"].get("podSelector") == {}
            and set(np["spec"].get("policyTypes") or []) == {"Ingress", "Egress"}
            and not np["spec"].get("ingress")
            and not np["spec"].get("egress")
            for np in by_kind.get("NetworkPolicy", [])
        ):
            report.error(where, f"namespace {ns!r} has no default-deny NetworkPolicy (podSelector {{}}, Ingress and Egress, no rules)")
    # Certificates: DNS names under .svc must name the namespace the object lands in.
    for c in by_kind.get("Certificate", []):
        ns = c["metadata"].get("namespace")
        for dns in c["spec"].get("dnsNames") or []:
            parts = dns.split(".")
            if len(parts) >= 3 and parts[2] == "svc" and parts[1] != ns:
                report.error(f"{where} {name_of(c)}", f"dnsName {dns!r} names namespace {parts[1]!r}, the certificate is in {ns!r}")
        issuer = c["spec"]["issuerRef"]
        if issuer.get("kind", "Issuer") == "Issuer" and ("Issuer", issuer["name"]) not in names:
            report.error(f"{where} {name_of(c)}", f"issuer {issuer['name']!r} is not rendered")


# --- main ----------------------------------------------------------------------


def format_error(e: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in e.absolute_path) or "(root)"
    message = e.message
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{path}: {message}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--crds", action="append", type=Path, default=[], help="directory of CRD YAML files (repeatable)")
    parser.add_argument("--external-secrets", type=Path, required=True)
    parser.add_argument("rendered", nargs="+", help="NAME=FILE of a rendered overlay")
    args = parser.parse_args()

    builtin = BuiltinSchemas(args.kubernetes_version)
    crds = CrdSchemas(args.crds, builtin)
    external = {
        line.split()[0]
        for line in args.external_secrets.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    status = 0
    for item in args.rendered:
        overlay, _, file = item.partition("=")
        report = Report(f"overlay {overlay}")
        try:
            objs = [d for d in load_yaml_documents(Path(file), generated=True) if d]
        except yaml.YAMLError as e:
            report.error(overlay, f"rendered output is not valid YAML: {e}")
            status |= report.finish("")
            continue
        kinds: dict[str, int] = {}
        for o in objs:
            if not isinstance(o, dict) or "apiVersion" not in o or "kind" not in o:
                report.error(overlay, f"not a Kubernetes object: {str(o)[:80]}")
                continue
            kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
            where = f"{overlay} {name_of(o)}"
            validator = builtin.validator(o["apiVersion"], o["kind"])
            source = f"Kubernetes {builtin.version}"
            if validator is None:
                validator = crds.validator(o["apiVersion"], o["kind"])
                source = "CRD"
            if validator is None:
                report.error(where, f"no schema for {o['apiVersion']} {o['kind']} (neither Kubernetes {builtin.version} nor a known CRD)")
                continue
            for e in sorted(validator.iter_errors(o), key=lambda e: list(e.absolute_path)):
                report.error(where, f"{source} schema: {format_error(e)}")
        try:
            check_rules([o for o in objs if isinstance(o, dict)], overlay, report, external, crds)
        except (KeyError, TypeError, AttributeError) as e:
            # Objects the schemas rejected can break a rule's assumptions; the
            # schema errors above say why.
            report.error(overlay, f"platform rules could not be checked on these objects ({type(e).__name__}: {e})")
        summary = f"{overlay}: {len(objs)} objects valid ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})"
        status |= report.finish(summary)
    return status


if __name__ == "__main__":
    sys.exit(main())
