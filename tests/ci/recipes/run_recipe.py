#!/usr/bin/python3
"""Runs a CI recipe of docs/ci/ the way its CI service would, as far as
this machine allows (tests/ci/recipes.sh): the file is parsed with PyYAML
(Debian's python3-yaml), every job runs in a fresh copy of the checkout in
the order the service would run it (GitHub: `needs:`, each matrix entry a
job; GitLab: `stages:`, each of `parallel: N` a job with CI_NODE_INDEX and
CI_NODE_TOTAL), artifacts move from job to job as the recipe says, and every
`run:`/`script:` line runs for real with bash - but the build lines
(apt-get, cmake), for which the checkout already holds build/apilint.
Anything the driver does not understand (an expression, an action, a key)
is an error, so a recipe cannot silently test less than it says.

  run_recipe.py github|gitlab RECIPE CHECKOUT OUT

CHECKOUT is the repository as the jobs see it; OUT gets a directory per job
and `outcome.json`: every step with its exit status (or "skipped"), and the
report files the recipe hands to its service (JUnit, SARIF)."""
import fnmatch
import glob
import itertools
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

BUILD = re.compile(r"^\s*(sudo\s+)?(apt-get|cmake)\b")


def fail(msg):
    print("run_recipe: " + msg, file=sys.stderr)
    sys.exit(2)


def run_lines(lines, cwd, env, log):
    """Runs shell lines as one bash -e script (GitHub's `bash -eo pipefail
    {0}`, GitLab's fail-at-first-error); build lines are left out."""
    kept = [l for l in lines if not BUILD.match(l)]
    skipped = [l for l in lines if BUILD.match(l)]
    for l in skipped:
        log.append({"skipped_build_line": l})
    if not kept:
        return 0
    script = "set -eo pipefail\n" + "\n".join(kept) + "\n"
    p = subprocess.run(["bash", "--noprofile", "--norc", "-c", script],
                       cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=300)
    log.append({"script": kept, "rc": p.returncode, "output": p.stdout[-4000:]})
    return p.returncode


def new_workspace(checkout, out, name):
    ws = os.path.join(out, re.sub(r"[^A-Za-z0-9._-]", "_", name))
    shutil.copytree(checkout, ws, symlinks=True)
    return ws


# ---- GitHub Actions ----

def gh_eval(expr, ctx):
    expr = expr.strip()
    if expr in ("always()",):
        return True
    if expr == "success()":
        return not ctx["failed"]
    if expr == "failure()":
        return ctx["failed"]
    parts = expr.split(".")
    v = ctx
    for p in parts:
        if not isinstance(v, dict) or p not in v:
            fail("unknown expression ${{ %s }}" % expr)
        v = v[p]
    return v


def gh_sub(value, ctx):
    if isinstance(value, str):
        return re.sub(r"\$\{\{(.+?)\}\}", lambda m: str(gh_eval(m.group(1), ctx)), value)
    if isinstance(value, dict):
        return {k: gh_sub(v, ctx) for k, v in value.items()}
    if isinstance(value, list):
        return [gh_sub(v, ctx) for v in value]
    return value


def gh_uses(uses, with_, ws, artifacts, reports, log):
    action, _, ref = uses.partition("@")
    if not re.fullmatch(r"v[0-9]+", ref):
        fail("%s: pin an action to a major version tag (vN), got '%s'" % (action, ref))
    if action == "actions/checkout":
        return 0  # the workspace is a fresh copy of the checkout
    if action == "actions/upload-artifact":
        files = sorted(glob.glob(os.path.join(ws, with_["path"])))
        if not files:
            log.append({"error": "upload-artifact: nothing at " + with_["path"]})
            return 1
        dest = os.path.join(artifacts, with_["name"])
        if os.path.exists(dest):
            fail("artifact %s uploaded twice" % with_["name"])
        os.makedirs(dest)
        for f in files:
            shutil.copy(f, dest)
        return 0
    if action == "actions/download-artifact":
        if not with_.get("merge-multiple"):
            fail("download-artifact without merge-multiple: not simulated")
        names = [n for n in sorted(os.listdir(artifacts))
                 if fnmatch.fnmatch(n, with_["pattern"])]
        for n in names:
            for f in os.listdir(os.path.join(artifacts, n)):
                shutil.copy(os.path.join(artifacts, n, f), ws)
        log.append({"downloaded": names})
        return 0 if names else 1
    if action == "mikepenz/action-junit-report":
        files = sorted(glob.glob(os.path.join(ws, with_["report_paths"])))
        reports.setdefault("junit", []).extend(files)
        return 0 if files else 1
    if action == "github/codeql-action/upload-sarif":
        f = os.path.join(ws, with_["sarif_file"])
        if not os.path.isfile(f):
            return 1
        reports.setdefault("sarif", []).append(f)
        return 0
    fail("action %s is not simulated" % action)


def github(recipe, checkout, out, env_in):
    doc = yaml.safe_load(open(recipe))
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads `on` as true
    if not on or "jobs" not in doc:
        fail("not a workflow: no on/jobs")
    jobs = doc["jobs"]
    ctx_base = {"vars": {"STAGING_URL": env_in["STAGING_URL"]},
                "secrets": {"API_TOKEN": env_in["API_TOKEN"]}}
    done, order = {}, []
    while len(order) < len(jobs):
        ready = [j for j in jobs if j not in order and
                 all(n in order for n in ([jobs[j]["needs"]] if isinstance(jobs[j].get("needs"), str)
                                          else jobs[j].get("needs", [])))]
        if not ready:
            fail("a cycle in needs")
        order.extend(ready)
    artifacts = os.path.join(out, "artifacts")
    os.makedirs(artifacts)
    outcome = {"jobs": [], "reports": {}}
    for name in order:
        job = jobs[name]
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        needs_failed = any(done[n] for n in needs)
        if needs_failed and job.get("if") != "always()":
            outcome["jobs"].append({"job": name, "skipped": True})
            continue
        matrix = job.get("strategy", {}).get("matrix", {})
        keys = list(matrix)
        combos = [dict(zip(keys, c)) for c in itertools.product(*(matrix[k] for k in keys))] or [{}]
        failed_any = False
        for index, combo in enumerate(combos):
            ctx = dict(ctx_base, matrix=combo, failed=False,
                       strategy={"job-total": len(combos), "job-index": index})
            label = name + "".join("-%s" % v for v in combo.values())
            ws = new_workspace(checkout, out, label)
            steps = []
            for step in job["steps"]:
                cond = step.get("if")
                if not (gh_eval(cond, ctx) if cond else not ctx["failed"]):
                    steps.append({"step": step.get("name", step.get("uses")), "skipped": True})
                    continue
                log = []
                if "uses" in step:
                    rc = gh_uses(step["uses"], gh_sub(step.get("with", {}), ctx), ws,
                                 artifacts, outcome["reports"], log)
                else:
                    env = dict(os.environ, **{k: str(v) for k, v in gh_sub(step.get("env", {}), ctx).items()})
                    rc = run_lines(gh_sub(step["run"], ctx).splitlines(), ws, env, log)
                steps.append({"step": gh_sub(step.get("name", step.get("uses", "run")), ctx),
                              "rc": rc, "log": log})
                if rc != 0:
                    ctx["failed"] = True
            failed_any |= ctx["failed"]
            outcome["jobs"].append({"job": label, "failed": ctx["failed"], "steps": steps})
        done[name] = failed_any
    return outcome


# ---- GitLab CI ----

RESERVED = {"stages", "variables", "default", "include", "workflow", "image",
            "services", "cache", "before_script", "after_script"}


def gitlab(recipe, checkout, out, env_in):
    doc = yaml.safe_load(open(recipe))
    stages = doc.get("stages", ["build", "test", "deploy"])
    jobs = {k: v for k, v in doc.items() if k not in RESERVED and not k.startswith(".")}
    for name, job in jobs.items():
        for key in job:
            if key not in ("stage", "image", "needs", "parallel", "before_script",
                           "script", "artifacts"):
                fail("%s: key '%s' is not simulated" % (name, key))
        if job.get("stage") not in stages:
            fail("%s: stage %s is not in stages" % (name, job.get("stage")))
    artifacts = {}  # job name -> [(instance dir, files)]
    status = {}
    outcome = {"jobs": [], "reports": {}}
    for stage in stages:
        for name, job in jobs.items():
            if job["stage"] != stage:
                continue
            needs = job.get("needs", [])
            if any(status.get(n) for n in needs):
                outcome["jobs"].append({"job": name, "skipped": True})
                status[name] = True
                continue
            total = int(job.get("parallel", 1))
            status[name] = False
            for i in range(1, total + 1):
                label = name if total == 1 else "%s %d/%d" % (name, i, total)
                ws = new_workspace(checkout, out, label)
                for n in needs:  # artifacts of every job (and instance) needed
                    for src_ws, rel in artifacts.get(n, []):
                        dest = os.path.join(ws, rel)
                        os.makedirs(os.path.dirname(dest), exist_ok=True)
                        if os.path.lexists(dest):
                            os.remove(dest)
                        shutil.copy(os.path.join(src_ws, rel), dest)
                env = dict(os.environ, API_URL=env_in["STAGING_URL"], API_TOKEN=env_in["API_TOKEN"],
                           CI="true", GITLAB_CI="true", CI_NODE_TOTAL=str(total), CI_JOB_NAME=label)
                if total > 1:
                    env["CI_NODE_INDEX"] = str(i)
                else:
                    env.pop("CI_NODE_INDEX", None)
                log = []
                rc = run_lines(job.get("before_script", []), ws, env, log)
                if rc == 0:
                    rc = run_lines(job["script"], ws, env, log)
                art = job.get("artifacts", {})
                when = art.get("when", "on_success")
                files = []
                if when == "always" or (when == "on_success" and rc == 0) or (when == "on_failure" and rc != 0):
                    for pat in art.get("paths", []):
                        for f in sorted(glob.glob(os.path.join(ws, pat))):
                            if not os.path.isdir(f):
                                files.append(f)
                    artifacts.setdefault(name, []).extend((ws, os.path.relpath(f, ws)) for f in files)
                    for kind, pat in art.get("reports", {}).items():
                        found = sorted(glob.glob(os.path.join(ws, pat)))
                        outcome["reports"].setdefault(kind, []).extend(found)
                outcome["jobs"].append({"job": label, "rc": rc, "failed": rc != 0, "log": log,
                                        "artifacts": [os.path.relpath(f, ws) for f in files]})
                status[name] |= rc != 0
    return outcome


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("github", "gitlab"):
        fail("usage: run_recipe.py github|gitlab RECIPE CHECKOUT OUT")
    kind, recipe, checkout, out = sys.argv[1:]
    env_in = {"STAGING_URL": os.environ["STAGING_URL"], "API_TOKEN": os.environ["API_TOKEN"]}
    os.makedirs(out, exist_ok=True)
    outcome = (github if kind == "github" else gitlab)(recipe, checkout, out, env_in)
    json.dump(outcome, open(os.path.join(out, "outcome.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
