#!/usr/bin/env python3
"""Seeded generator of conformance cases (docs/conformance.md).

  python3 gen_cases.py --seed S --count N [--profile P] > cases.jsonl

Writes one case per line (the input of docs/conformance.md's vector format,
without the kubelet's answers, which harness/ computes). The same seed gives
identical output. Adapted from the project's oracle generator; nothing here
predicts the kubelet's answer.

Profiles (default: a weighted mix):
  realistic    a few namespaces, tens of Services, typical env/envFrom usage
  adversarial  colliding Service variable names, IPv6 and odd IPs, headless
               and ExternalName Services, $$ / $( / unterminated references,
               unicode, odd envFrom prefixes and keys, downward-API edges
  large        hundreds to thousands of Services in the cluster
  errors       missing ConfigMaps, Secrets and keys, bad fieldPaths and
               resources: inputs the kubelet refuses
"""

import argparse
import base64
import json
import os
import random
import sys



def service_variable_names(pod_ns, enable_service_links, services):
    """Names the expansions may refer to (a guess is enough: a wrong one
    is an unresolved reference, itself worth testing)."""
    out = []
    for s in services or []:
        meta = s["metadata"]
        visible = (meta["namespace"] == "default" and meta["name"] == "kubernetes") or \
            (meta["namespace"] == pod_ns and enable_service_links)
        if not visible or s["spec"].get("clusterIP") in (None, "", "None"):
            continue
        base = meta["name"].upper().replace("-", "_")
        out += [base + "_SERVICE_HOST", base + "_SERVICE_PORT", base + "_PORT"]
    return sorted(set(out))

WORDS = ["api", "web", "db", "redis", "cache", "auth", "user", "billing", "search", "frontend",
         "backend", "worker", "queue", "kafka", "zk", "etcd", "metrics", "grafana", "proxy",
         "gateway", "mysql", "pg", "mongo", "svc", "app", "core", "edge", "ingress", "dns", "log"]
PORT_NAMES = ["http", "https", "grpc", "metrics", "dns", "dns-tcp", "admin", "web", "tcp-1",
              "h2c", "p8080", "debug", "health", "redis", "mysql", "amqp", "x"]
UNICODE_BITS = ["ünïcödé", "日本語", "😀", "Ελλάδα", "ß", "ǅ", "İ", "\u00a0", "\u200b", "é",
                "ｆｕｌｌ", "\u0301", "Ω"]
NAMESPACES = ["default", "prod", "staging", "team-a", "team-b", "kube-system", "monitoring", "ns-1"]


class Gen:
    def __init__(self, rng, profile, max_services):
        self.r = rng
        self.profile = profile
        self.max_services = max_services

    # ------------------------------------------------------------- basics
    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def dns_label(self, allow_leading_digit=False):
        n = self.r.choice([1, 1, 2, 2, 3])
        parts = [self.pick(WORDS) for _ in range(n)]
        if self.chance(0.3):
            parts.append(str(self.r.randrange(100)))
        name = "-".join(parts)
        if allow_leading_digit and self.chance(0.15):
            name = str(self.r.randrange(10)) + name
        return name[:63].rstrip("-")

    def ipv4(self):
        return "10.%d.%d.%d" % (self.r.randrange(256), self.r.randrange(256), self.r.randrange(1, 255))

    def ipv6(self, odd=False):
        groups = [self.r.choice([0, 0, 0, self.r.randrange(0x10000)]) for _ in range(6)]
        ip = "fd00:" + ":".join("%x" % g for g in groups) + ":%x" % self.r.randrange(1, 0x10000)
        if odd:
            variant = self.r.randrange(4)
            if variant == 0:
                ip = ip.upper()
            elif variant == 1:
                ip = "2001:DB8::%X" % self.r.randrange(1, 0x10000)
            elif variant == 2:
                ip = "::ffff:%d.%d.%d.%d" % tuple(self.r.randrange(256) for _ in range(4))
            else:
                ip = "fd00::%x" % self.r.randrange(1, 0x10000)
        return ip

    def quantity(self, kind):
        if kind == "cpu":
            return self.pick(["100m", "250m", "500m", "1", "2", "1500m", "0.1", "2.5", "3300m", "1001m",
                              "0.0001", "16", "7m"])
        if kind == "memory":
            return self.pick(["64Mi", "128Mi", "1Gi", "500M", "1.5Gi", "12345", "1e6", "2G", "0.5Ki",
                              "1000001", "3Ti", "100k"])
        if kind == "ephemeral-storage":
            return self.pick(["1Gi", "10Gi", "500Mi", "2G", "1T"])
        return self.pick(["2Mi", "4Mi", "1Gi", "8Mi"])

    # ------------------------------------------------------------ services
    def service(self, ns, name, kind=None, ports=None):
        r = self.r
        if kind is None:
            kind = r.choices(["clusterip", "headless", "external", "ipv6", "nodeport", "lb", "empty"],
                             weights=[60, 8, 4, 8, 8, 4, 2] if self.profile != "realistic"
                             else [75, 8, 3, 2, 8, 4, 0])[0]
        spec = {"type": "ClusterIP"}
        if kind == "headless":
            spec["clusterIP"] = "None"
        elif kind == "external":
            spec["type"] = "ExternalName"
            spec["externalName"] = name + ".example.com"
        elif kind == "empty":
            spec["clusterIP"] = ""
        elif kind == "ipv6":
            spec["clusterIP"] = self.ipv6(odd=self.profile == "adversarial")
            spec["clusterIPs"] = [spec["clusterIP"]]
            spec["ipFamilies"] = ["IPv6"]
        else:
            spec["clusterIP"] = self.ipv4()
            spec["clusterIPs"] = [spec["clusterIP"]]
            if kind == "nodeport":
                spec["type"] = "NodePort"
            elif kind == "lb":
                spec["type"] = "LoadBalancer"
        if ports is None:
            n = r.choices([0, 1, 2, 3, 4, 6], weights=[1 if kind in ("headless", "external") else 0, 55, 20, 10, 6, 3])[0]
            ports = []
            used = set()
            names = set()
            for i in range(n):
                proto = r.choices([None, "TCP", "UDP", "SCTP"], weights=[25, 50, 18, 7])[0]
                port = self.pick([80, 443, 8080, 53, 6379, 5432, 9090, 3306, 9092, 2379, 1,
                                  65535, r.randrange(1, 65536)])
                if (port, proto or "TCP") in used:
                    continue
                used.add((port, proto or "TCP"))
                p = {"port": port}
                if proto:
                    p["protocol"] = proto
                if n > 1 or self.chance(0.4):
                    pname = self.pick(PORT_NAMES)
                    if self.profile == "adversarial" and self.chance(0.1):
                        pname = str(port)          # like the upstream "8083" test
                    if pname in names:
                        pname = pname + "-%d" % i
                    names.add(pname)
                    p["name"] = pname
                p["targetPort"] = port + self.r.choice([0, 0, 1000])
                if kind == "nodeport" or kind == "lb":
                    p["nodePort"] = 30000 + r.randrange(2768)
                ports.append(p)
            if not ports and kind not in ("headless", "external"):
                ports = [{"port": 80, "protocol": "TCP", "targetPort": 8080}]
        if ports:
            spec["ports"] = ports
        return {"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": name, "namespace": ns,
                             "uid": "%08x-0000-4000-8000-%012x" % (self.r.getrandbits(32), self.r.getrandbits(48))},
                "spec": spec}

    def colliding_services(self, ns, base):
        """Services whose env names collide with base's:
        BASE_SERVICE_PORT (base-service), BASE_SERVICE_PORT_9000_TCP (named port
        '9000-tcp' vs base-service's 9000/TCP block), BASE_PORT_80_TCP_PORT
        (base-port-80-tcp), BASE_SERVICE_PORT_PORT (base-service-port)."""
        out = [self.service(ns, base, "clusterip",
                            [{"name": "port", "port": 80, "protocol": "TCP"},
                             {"name": "http", "port": 8080},
                             {"name": "9000-tcp", "port": 9001}])]
        out.append(self.service(ns, base + "-service", "clusterip", [{"port": 9000}]))
        out.append(self.service(ns, base + "-port-80-tcp", "clusterip", [{"port": 81, "protocol": "UDP"}]))
        out.append(self.service(ns, base + "-service-port", "clusterip", [{"port": 82}]))
        return out

    def services(self, pod_ns):
        r = self.r
        svcs = []
        if self.chance(0.93 if self.profile != "errors" else 0.8):
            svcs.append(self.service("default", "kubernetes", "clusterip",
                                     [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]))
        if self.profile == "large":
            total = r.randrange(200, self.max_services + 1)
            in_ns = r.randrange(20, min(total, 400))
        elif self.profile == "realistic":
            total = r.randrange(3, 60)
            in_ns = r.randrange(0, min(total, 25))
        else:
            total = r.randrange(0, 40)
            in_ns = r.randrange(0, total + 1) if total else 0
        other_ns = [n for n in NAMESPACES if n != pod_ns] + ["ns-%d" % i for i in range(2, 20)]
        seen = set()
        for i in range(total):
            ns = pod_ns if i < in_ns else self.pick(other_ns)
            name = self.dns_label(allow_leading_digit=self.profile == "adversarial")
            if (ns, name) in seen:
                continue
            seen.add((ns, name))
            svcs.append(self.service(ns, name))
        if self.profile == "adversarial":
            if self.chance(0.6):
                base = self.dns_label()
                svcs.extend(s for s in self.colliding_services(pod_ns, base)
                            if (pod_ns, s["metadata"]["name"]) not in seen)
            if self.chance(0.3):
                svcs.append(self.service(pod_ns, "kubernetes-port-443-tcp", "clusterip", [{"port": 1}]))
            if self.chance(0.3) and pod_ns != "default":
                svcs.append(self.service(pod_ns, "kubernetes", self.pick(["clusterip", "ipv6", "headless"])))
        r.shuffle(svcs)                  # lister order is arbitrary
        return svcs

    # ---------------------------------------------------------- env values
    def env_name(self):
        if self.profile == "adversarial" and self.chance(0.15):
            return self.pick(["my.var", "a-b", "1ABC", "_", "x.y-z", "lower_case", "MiXeD", "with space",
                              "ünï", "A" * 40])
        return "_".join(self.pick(WORDS).upper() for _ in range(self.r.choice([1, 2, 2, 3])))

    def expansion_string(self, known):
        r = self.r
        parts = []
        for _ in range(r.randrange(1, 6)):
            k = r.random()
            if k < 0.35 and known:
                parts.append("$(" + self.pick(known) + ")")
            elif k < 0.45:
                parts.append("$(UNDEFINED_%d)" % r.randrange(5))
            elif k < 0.55:
                parts.append(self.pick(["$$", "$$(" + (self.pick(known) if known else "X") + ")", "$", "$(",
                                        "$()", "${X}", "$X", "$)", "$$$(", "(", ")", "$$$$"]))
            elif k < 0.62 and known:
                parts.append("$(" + self.pick(known) + "$(" + self.pick(known) + "))")
            elif k < 0.70 and self.profile == "adversarial":
                parts.append(self.pick(UNICODE_BITS) + self.pick(["", "$", "$(" + self.pick(UNICODE_BITS) + ")"]))
            elif k < 0.75:
                parts.append(self.pick(["\n", "\t", "\\", "\"", "'", " ", "=", "%s", "%%"]))
            else:
                parts.append(self.pick(WORDS) + str(r.randrange(1000)))
        return "".join(parts)

    def field_ref(self, pod):
        paths = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                 "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
        labels = list(pod["metadata"].get("labels", {}).keys())
        annos = list(pod["metadata"].get("annotations", {}).keys())
        k = self.r.random()
        if k < 0.15 and labels:
            path = "metadata.labels['%s']" % self.pick(labels + ["missing-label"])
        elif k < 0.30 and annos:
            path = "metadata.annotations['%s']" % self.pick(annos + ["missing/anno"])
        elif k < 0.34 and self.profile == "adversarial":
            path = self.pick(["metadata.labels", "metadata.annotations", "spec.host"])
        else:
            path = self.pick(paths)
        ref = {"fieldPath": path}
        if self.chance(0.8):
            ref["apiVersion"] = "v1"
        return ref

    def resource_ref(self, pod, container):
        res = self.pick(["limits.cpu", "requests.cpu", "limits.memory", "requests.memory",
                         "limits.ephemeral-storage", "requests.ephemeral-storage",
                         "requests.hugepages-2Mi", "limits.hugepages-2Mi"])
        ref = {"resource": res}
        if "cpu" in res:
            div = self.pick([None, None, "1m", "1", "100m", "10m"])
        else:
            div = self.pick([None, None, "1", "1k", "1Ki", "1Mi", "1M", "1Gi", "1G"])
        if div:
            ref["divisor"] = div
        if self.chance(0.3):
            names = [c["name"] for c in pod["spec"]["containers"] + pod["spec"].get("initContainers", [])]
            ref["containerName"] = self.pick(names)
        return ref

    def resources(self):
        out = {}
        for kind in ("limits", "requests"):
            lst = {}
            for rn in ("cpu", "memory", "ephemeral-storage", "hugepages-2Mi"):
                if self.chance(0.5 if rn in ("cpu", "memory") else 0.2):
                    lst[rn] = self.quantity(rn)
            if lst:
                out[kind] = lst
        return out

    # ------------------------------------------------------------ objects
    def configmaps_and_secrets(self, ns):
        cms, secs = [], []
        for i in range(self.r.randrange(0, 4)):
            cms.append({"apiVersion": "v1", "kind": "ConfigMap",
                        "metadata": {"name": "cm-%d" % i, "namespace": ns}, "data": self.kv_data()})
        for i in range(self.r.randrange(0, 3)):
            data = {k: base64.b64encode(v.encode("utf-8")).decode() for k, v in self.kv_data().items()}
            secs.append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                         "metadata": {"name": "secret-%d" % i, "namespace": ns}, "data": data})
        return cms, secs

    def kv_data(self):
        d = {}
        for _ in range(self.r.randrange(0, 8)):
            if self.profile == "adversarial" and self.chance(0.25):
                key = self.pick(["1234", "a.b", "-x", ".hidden", "..x", "x-y", "9LIVES", "_", "KUBERNETES_SERVICE_HOST",
                                 "SERVICE.NAME", "a..b"])
            else:
                key = self.env_name() if self.chance(0.7) else self.pick(WORDS) + "." + self.pick(WORDS)
                if not all(c.isalnum() or c in "-._" for c in key) or not key.isascii():
                    key = "K" + str(self.r.randrange(10 ** 6))
            d[key] = self.expansion_string([]) if self.chance(0.3) else self.pick(WORDS) + str(self.r.randrange(99))
        return d

    def pod(self, ns):
        r = self.r
        labels = {}
        for _ in range(r.randrange(0, 5)):
            key = self.pick(["app", "tier", "version", "app.kubernetes.io/name", "team", "pod-template-hash"])
            labels[key] = self.pick(WORDS) + str(r.randrange(10))
        annos = {}
        for _ in range(r.randrange(0, 5)):
            key = self.pick(["note", "example.com/owner", "checksum/config", "kubectl.kubernetes.io/last-applied",
                             "Upper.Case/Key", "description"])
            val = self.pick(["plain", "multi\nline", "tab\there", "quote\"d", "back\\slash", "ünï 😀",
                             "ctl\x01\x7f", "", "$(NOT_EXPANDED)", "\u00a0nbsp"])
            annos[key] = val
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": self.dns_label() + "-" + "%05x" % r.getrandbits(20), "namespace": ns,
                            "uid": "%08x-1111-4000-8000-%012x" % (r.getrandbits(32), r.getrandbits(48)),
                            "labels": labels, "annotations": annos},
               "spec": {"nodeName": "node-%d" % r.randrange(100),
                        "serviceAccountName": self.pick(["default", "builder", "sa-" + self.pick(WORDS)]),
                        "containers": [], "restartPolicy": "Always"}}
        esl = r.choice([True, False, None])
        if esl is not None:
            pod["spec"]["enableServiceLinks"] = esl
        n = r.choice([1, 1, 1, 2, 3])
        for i in range(n):
            pod["spec"]["containers"].append({"name": "c%d" % i, "image": "img:%d" % i, "resources": self.resources()})
        if self.chance(0.3):
            pod["spec"]["initContainers"] = [{"name": "init-0", "image": "init", "resources": self.resources()}]
        if self.chance(0.1):
            pod["spec"]["resources"] = {"limits": {"cpu": self.quantity("cpu"), "memory": self.quantity("memory")}}
        return pod

    def container_env(self, pod, container, service_names, cms, secs):
        r = self.r
        prefixes = ["", "", "", "APP_", "p_", "1_", "CFG_"]
        if self.profile == "adversarial":
            prefixes += ["x.", "-", "KUBERNETES_", "with space ", "ü_"]
        env_from = []
        envfrom_keys = []
        for _ in range(r.randrange(0, 4)):
            use_cm = self.chance(0.6)
            pool = cms if use_cm else secs
            ref = {}
            if pool and self.chance(0.85):
                ref["name"] = self.pick(pool)["metadata"]["name"]
                obj = next(o for o in pool if o["metadata"]["name"] == ref["name"])
                keys = list(obj.get("data", {}).keys())
            else:
                ref["name"] = "missing-" + self.pick(WORDS)
                keys = []
                ref["optional"] = self.profile != "errors" or self.chance(0.3)
            if "optional" not in ref and self.chance(0.2):
                ref["optional"] = self.chance(0.5)
            item = {("configMapRef" if use_cm else "secretRef"): ref}
            pfx = self.pick(prefixes)
            if pfx:
                item["prefix"] = pfx
            envfrom_keys += [pfx + k for k in keys]
            env_from.append(item)
        if self.profile == "adversarial" and self.chance(0.3):
            # exists only in another namespace: must behave as missing (optional -> skipped)
            env_from.append({"configMapRef": {"name": "cm-other", "optional": True}, "prefix": "LEAK_"})
        if env_from:
            container["envFrom"] = env_from

        env = []
        names = [self.env_name() for _ in range(r.randrange(0, 14 if self.profile != "large" else 40))]
        known_all = names + envfrom_keys + service_names
        for i, name in enumerate(names):
            ev = {"name": name}
            k = r.random()
            if self.profile == "errors" and self.chance(0.15):
                ev["valueFrom"] = self.pick([
                    {"configMapKeyRef": {"name": "missing-cm", "key": "k"}},
                    {"secretKeyRef": {"name": "missing-secret", "key": "k"}},
                    {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.restartPolicy"}},
                    {"fieldRef": {"apiVersion": "v2", "fieldPath": "metadata.name"}},
                    {"fieldRef": {"fieldPath": "metadata.labels['bad key!']"}},
                    {"resourceFieldRef": {"resource": "limits.gpu"}},
                    {"resourceFieldRef": {"resource": "limits.cpu", "containerName": "nope"}},
                ])
            elif k < 0.55:
                # references to anything, including later env vars (not yet defined)
                ev["value"] = self.expansion_string(known_all + [name])
            elif k < 0.70:
                ev["valueFrom"] = {"fieldRef": self.field_ref(pod)}
            elif k < 0.78:
                ev["valueFrom"] = {"resourceFieldRef": self.resource_ref(pod, container)}
            elif k < 0.87 and cms:
                cm = self.pick(cms)
                keys = list(cm.get("data", {}).keys()) + ["absent-key"]
                ref = {"name": cm["metadata"]["name"], "key": self.pick(keys)}
                if ref["key"] == "absent-key" or self.chance(0.3):
                    ref["optional"] = True
                ev["valueFrom"] = {"configMapKeyRef": ref}
            elif k < 0.95 and secs:
                s = self.pick(secs)
                keys = list(s.get("data", {}).keys()) + ["absent-key"]
                ref = {"name": s["metadata"]["name"], "key": self.pick(keys)}
                if ref["key"] == "absent-key" or self.chance(0.3):
                    ref["optional"] = True
                ev["valueFrom"] = {"secretKeyRef": ref}
            elif k < 0.97:
                ev["valueFrom"] = {"configMapKeyRef": {"name": "missing-" + self.pick(WORDS), "key": "x",
                                                       "optional": True}}
            elif k < 0.99:
                pass            # no value at all -> ""
            else:
                ev["value"] = "literal-wins"
                ev["valueFrom"] = {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}
            env.append(ev)
        if service_names and self.chance(0.3):
            env.append({"name": self.pick(service_names), "value": "overridden-by-env"})
        if env:
            container["env"] = env
        known = names + envfrom_keys + service_names
        if self.chance(0.6):
            container["command"] = [self.pick(["/bin/sh", "app", "$(SHELL)"])] + \
                [self.expansion_string(known) for _ in range(r.randrange(0, 3))]
        if self.chance(0.6):
            container["args"] = [self.expansion_string(known) for _ in range(r.randrange(0, 4))]

    def node(self):
        r = self.r
        fam = r.choice(["v4", "v4", "v6", "dual4", "dual6"])
        v4, v6 = "192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255)), self.ipv6(odd=self.chance(0.3))
        node = {}
        if fam == "v4":
            node["hostIPs"] = [v4]
        elif fam == "v6":
            node["hostIPs"] = [v6]
            node["nodeIPs"] = [v6]
        elif fam == "dual4":
            node["hostIPs"] = [v4, v6]
        elif fam == "dual6":
            node["hostIPs"] = [v6, v4]
            node["nodeIPs"] = [v6, v4]
        if self.chance(0.6):
            node["allocatable"] = {"cpu": self.pick(["4", "8", "96", "3500m"]),
                                   "memory": self.pick(["16Gi", "32Gi", "7.5Gi", "64G"]),
                                   "ephemeral-storage": self.pick(["100Gi", "50G"])}
        return node

    def pod_ips(self, node):
        r = self.r
        v4, v6 = "10.244.%d.%d" % (r.randrange(256), r.randrange(1, 255)), "fd00:10:244::%x" % r.randrange(1, 0xffff)
        opts = [[v4], [v4], [v6], [v4, v6], [v6, v4], []]
        if self.profile == "adversarial":
            opts += [["bogus", v4], ["192.168.1.1.", v6, v4], ["::ffff:10.1.2.3", v6], [v6.upper()]]
        return self.pick(opts)

    # ---------------------------------------------------------------- case
    def case(self):
        r = self.r
        pod_ns = self.pick(NAMESPACES[:6] + ["ns-%d" % r.randrange(20)])
        pod = self.pod(pod_ns)
        svcs = self.services(pod_ns)
        cms, secs = self.configmaps_and_secrets(pod_ns)
        # names the expansion strings may refer to: service vars of the pod namespace
        esl = pod["spec"].get("enableServiceLinks", True)
        service_names = service_variable_names(pod_ns, esl, svcs)
        if len(service_names) > 60:
            service_names = r.sample(service_names, 60)
        target = self.pick(pod["spec"]["containers"])
        if pod["spec"].get("initContainers") and self.chance(0.15):
            target = pod["spec"]["initContainers"][0]
        self.container_env(pod, target, service_names, cms, secs)
        node = self.node()
        ips = self.pod_ips(node)
        if self.chance(0.2):   # same name in another namespace must not be visible
            cms = cms + [{"metadata": {"name": "cm-other", "namespace": "elsewhere"}, "data": {"LEAK": "no"}}]
        inp = {"pod": pod, "container": target["name"], "services": svcs, "configMaps": cms,
               "secrets": secs, "node": node, "podIPs": ips}
        if self.profile == "errors":
            k = r.random()
            if k < 0.25:
                target.setdefault("envFrom", []).append({"configMapRef": {"name": "missing-required"}})
            elif k < 0.5:
                target.setdefault("env", []).append(
                    {"name": "REQ", "valueFrom": {"secretKeyRef": {"name": "missing-required", "key": "k"}}})
        elif self.chance(0.03):
            inp["services"] = None            # kubelet without a service lister
        return inp


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--profile", choices=["realistic", "adversarial", "large", "errors"])
    ap.add_argument("--max-services", type=int, default=1000)
    a = ap.parse_args(argv[1:])
    for i in range(a.count):
        rng = random.Random("%d/%d" % (a.seed, i))
        profile = a.profile or rng.choices(["realistic", "adversarial", "large", "errors"],
                                           weights=[45, 40, 3, 12])[0]
        inp = Gen(rng, profile, max(200, a.max_services)).case()
        case = {"name": "seed-%d-%05d-%s" % (a.seed, i, profile)}
        case.update(inp)
        sys.stdout.write(json.dumps(case, sort_keys=True, ensure_ascii=True, separators=(",", ":")))
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
