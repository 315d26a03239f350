"""Evaluates Kubespray's Jinja the way Ansible does, for tests (no Ansible run).

stdin: {"vars": {...}, "items": [{"template": "...", "native": true|false}, ...]}
stdout: [{"value": ...} | {"error": "..."}, ...]

Ansible templates variables lazily and returns native types for a single expression
("{{ x }}" gives x's own type); here variables are resolved to a fixed point with Jinja2's
NativeEnvironment, which gives the same results for Kubespray's acyclic defaults. Only the
filters and tests these templates use are added: regex_replace and version (Ansible's own).
"""
import json
import re
import sys

import jinja2
from jinja2.nativetypes import NativeEnvironment


def regex_replace(value, pattern, replacement=""):
    return re.sub(pattern, replacement, str(value))


def version_test(value, other, op=">="):
    def parts(v):
        return [int(p) for p in re.findall(r"\d+", str(v))]
    a, b = parts(value), parts(other)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b, "lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b, "eq": a == b, "ne": a != b}[op]


def make(cls):
    env = cls(undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.loopcontrols"])
    env.filters["regex_replace"] = regex_replace
    env.filters["bool"] = lambda v: v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes", "on")
    env.tests["version"] = version_test
    return env


NATIVE = make(NativeEnvironment)
TEXT = make(jinja2.Environment)


def templated(v):
    return isinstance(v, str) and ("{{" in v or "{%" in v)


def resolve(variables):
    """Renders every templated variable against the others until nothing changes."""
    pending = {k: v for k, v in variables.items() if templated(v)}
    done = {k: v for k, v in variables.items() if not templated(v)}
    for _ in range(20):
        progress = False
        for key, text in list(pending.items()):
            try:
                done[key] = NATIVE.from_string(text).render(done)
            except Exception:  # undefined yet, or a filter only Ansible has: left undefined
                continue
            del pending[key]
            progress = True
        if not progress:
            break
    return done  # what still fails to render stays undefined, as Ansible would fail on use


def main():
    data = json.load(sys.stdin)
    variables = resolve(data["vars"])
    out = []
    for item in data["items"]:
        env = NATIVE if item.get("native", True) else TEXT
        try:
            out.append({"value": env.from_string(item["template"]).render(variables)})
        except jinja2.exceptions.TemplateError as e:
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout, default=str)


main()
