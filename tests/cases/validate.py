#!/usr/bin/env python3
"""Validates every case under tests/cases/ and cross-checks its expectations.

1. Structure (docs/format.md): one YAML document, no duplicate keys, no key without a value, only
   known fields, required fields present, right types, enum values, real dates, ids unique and
   matching [a-z0-9][a-z0-9-]*, every reference naming an id of the right kind, departures
   naming a known check, no reports_to cycle.
2. Expectations: every `# expect: <check> <status>` line names a known check and status, and
   agrees with `judge()` below, an independent Python reading of docs/checks.md written alongside
   the cases. It is a cross-check for the hand-written expectations, not the specification:
   where the two disagree, the rules decide.

Usage: python3 tests/cases/validate.py [--all]   (--all prints every check's status per file)
"""

import datetime as dt
import glob
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
from generate import CHECK_IDS, STATUSES, SIX  # noqa: E402

MODALITY = {
    "dcs.appointed": "must", "lmcs.designated": "must", "dcs.integrated-brief": "must",
    "lmcs.integrated-brief": "must", "dcs.reports-to-ceo": "should", "dcs.not-ceo": "should",
    "dcs.politically-restricted": "must", "lmcs.executive-member": "should",
    "dcs.additional-functions-assured": "should", "lmcs.additional-functions-assured": "should",
    "dcs.joint-appointment-assured": "should", "assurance.review-current": "should",
    "assurance.agreed-within-council": "should", "assurance.self-and-peer": "should",
    "assurance.essential-elements": "should", "assurance.transparency": "should",
    "safeguarding.dcs-member": "should", "safeguarding.lmcs-observer": "should",
    "safeguarding.chair-appointed-by-ceo": "should", "hwb.dcs-member": "must",
    "partnership.dph-appointed": "must", "schools-forum.established": "must",
    "commissioning.accountable-post": "should", "dcs.operational-line": "should",
    "safeguarding.second-tier-credentials": "advice", "dcs.mentoring": "advice",
    "dcs.due-diligence": "advice", "dcs.children-involved": "advice",
}

# ---------------------------------------------------------------------------------------------
# Loading: YAML 1.2-style booleans (only true/false), duplicate keys and null values rejected.
# ---------------------------------------------------------------------------------------------


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                             list("tf"))


def _mapping(loader, node, deep=False):
    keys = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(None, None, "duplicate key %r" % key,
                                                    k.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


Loader.add_constructor("tag:yaml.org,2002:map", _mapping)

# ---------------------------------------------------------------------------------------------
# Structure
# ---------------------------------------------------------------------------------------------

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
AUTH_TYPES = {"county", "unitary", "metropolitan_borough", "london_borough", "city_of_london",
              "isles_of_scilly", "district"}
GOVERNANCE = {"leader_cabinet", "mayor_cabinet", "committee"}
STAT_ROLES = {"dcs", "dass", "dph", "head_of_paid_service", "monitoring_officer",
              "chief_finance_officer"}
FUNCTIONS = {"education", "childrens_social_care", "send", "early_years", "early_help",
             "youth_justice", "school_transport", "school_admissions", "youth_services",
             "adult_social_care", "public_health", "housing", "other"}
OUTSIDE = {"adult_social_care", "public_health", "housing", "other"}
BACKGROUND = {"strong", "some", "none"}
MEMBER_ROLES = {"leader", "mayor", "cabinet_member", "committee_chair"}
DESIGNATIONS = {"lmcs", "lead_member_adults"}
BODY_KINDS = {"lscb", "safeguarding_partnership", "health_and_wellbeing_board", "schools_forum",
              "corporate_parenting_board", "cabinet", "scrutiny_committee", "partnership_board",
              "other"}
SEAT_ROLES = {"member", "chair", "participating_observer", "lead_partner", "delegated_partner"}
PROVIDERS = {"external", "arms_length", "trust", "joint", "mutual"}
REVIEW_KINDS = {"local_assurance_test", "audit", "self_assessment", "peer_review",
                "ofsted_inspection"}
SCOPE = STAT_ROLES | {"lmcs", "lead_member_adults"}
CHANGE_KINDS = {"restructure", "appointment", "additional_function", "interim", "vacancy"}

STR, BOOL, DATE, INT, ID = "str", "bool", "date", "int", "id"


def E(v):
    return ("enum", v)


def L(t):
    return ("list", t)


def R(kind):
    return ("ref", kind)


SCHEMA = {
    "authority": ({"id": ID, "name": STR, "gss_code": STR, "type": E(AUTH_TYPES),
                   "governance": E(GOVERNANCE), "as_of": DATE},
                  {"id", "name", "type", "governance", "as_of"}),
    "person": ({"id": ID, "name": STR, "elected_member": BOOL, "appointed": DATE,
                "interim": BOOL, "first_director_role": BOOL, "csc_background": E(BACKGROUND),
                "mentor": STR, "due_diligence": DATE, "children_involved_in_appointment": BOOL},
               {"id", "name", "elected_member"}),
    "post": ({"id": ID, "title": STR, "holder": R("person"), "reports_to": R("post"),
              "statutory_roles": L(E(STAT_ROLES)), "functions": L(E(FUNCTIONS)),
              "shared_with": L(ID), "interim_until": DATE, "recruitment_active": BOOL,
              "safeguarding_lead": BOOL},
             {"id", "title"}),
    "member": ({"person": R("person"), "roles": L(E(MEMBER_ROLES)),
                "portfolio": L(E(FUNCTIONS)), "designations": L(E(DESIGNATIONS))},
               {"person", "roles"}),
    "body": ({"id": ID, "name": STR, "kind": E(BODY_KINDS), "chair": R("person"),
              "chair_appointed_by": R("post"), "members": L("seat")},
             {"id", "name", "kind"}),
    "seat": ({"who": R("person"), "role": E(SEAT_ROLES)}, {"who", "role"}),
    "commissioned": ({"id": ID, "name": STR, "provider": E(PROVIDERS),
                      "functions": L(E(FUNCTIONS)), "accountable_post": R("post")},
                     {"id", "name", "provider", "functions"}),
    "assurance": ({"reviews": L("review"), "review_interval_months": INT,
                   "changes": L("change"), "departures": L("departure"),
                   "published": "published"}, set()),
    "review": ({"id": ID, "date": DATE, "kind": E(REVIEW_KINDS), "scope": L(E(SCOPE)),
                "elements": L(E(set(SIX))), "self_assessed": BOOL, "peer_challenged": BOOL,
                "approved_by": R("body"), "approved_on": DATE},
               {"id", "date", "kind"}),
    "change": ({"date": DATE, "kind": E(CHANGE_KINDS), "description": STR,
                "posts": L(R("post"))},
               {"date", "kind"}),
    "departure": ({"check": E(set(CHECK_IDS)), "reason": STR, "agreed_by": R("body"),
                   "agreed_on": DATE, "review_by": DATE}, {"check"}),
    "published": ({"url": STR, "on": DATE}, set()),
    "top": ({"authority": "authority", "people": L("person"), "posts": L("post"),
             "members": L("member"), "bodies": L("body"),
             "functions_commissioned": L("commissioned"), "assurance": "assurance"},
            {"authority"}),
}
ID_KIND = {"person": "person", "post": "post", "body": "body", "authority": "authority",
           "review": "review", "commissioned": "commissioned"}


def validate_doc(doc):
    errors, ids, refs = [], {}, []

    def walk(value, typ, path, owner_kind=None, field=None):
        if value is None:
            errors.append("%s: key without a value" % path)
            return
        if isinstance(typ, tuple) and typ[0] == "list":
            if not isinstance(value, list):
                errors.append("%s: expected a list" % path)
                return
            for i, v in enumerate(value):
                walk(v, typ[1], "%s[%d]" % (path, i), owner_kind, field)
            return
        if isinstance(typ, tuple) and typ[0] == "enum":
            if not isinstance(value, str) or value not in typ[1]:
                errors.append("%s: bad enum value %r" % (path, value))
            return
        if isinstance(typ, tuple) and typ[0] == "ref":
            if not isinstance(value, str):
                errors.append("%s: reference must be a string" % path)
            else:
                refs.append((path, value, typ[1]))
            return
        if typ == STR:
            if not isinstance(value, str):
                errors.append("%s: expected a string, got %r" % (path, value))
        elif typ == BOOL:
            if not isinstance(value, bool):
                errors.append("%s: expected true/false, got %r" % (path, value))
        elif typ == DATE:
            if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
                errors.append("%s: expected a YYYY-MM-DD date, got %r" % (path, value))
        elif typ == INT:
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                errors.append("%s: expected a whole number >= 1" % path)
        elif typ == ID:
            if not isinstance(value, str) or not ID_RE.match(value):
                errors.append("%s: bad id %r" % (path, value))
        elif typ in SCHEMA:
            fields, required = SCHEMA[typ]
            if not isinstance(value, dict):
                errors.append("%s: expected a mapping" % path)
                return
            for k in value:
                if k not in fields:
                    errors.append("%s: unknown field %r" % (path, k))
            for k in required:
                if k not in value:
                    errors.append("%s: missing required field %r" % (path, k))
            for k, v in value.items():
                if k in fields:
                    walk(v, fields[k], "%s.%s" % (path, k), typ, k)
            if typ in ID_KIND and isinstance(value.get("id"), str):
                if value["id"] in ids:
                    errors.append("%s: duplicate id %r" % (path, value["id"]))
                ids[value["id"]] = ID_KIND[typ]
        else:
            raise AssertionError(typ)

    walk(doc, "top", "$")
    for path, value, kind in refs:
        if ids.get(value) != kind:
            errors.append("%s: %r is not a %s id" % (path, value, kind))
    # reports_to cycles
    posts = {p["id"]: p for p in doc.get("posts", []) if isinstance(p, dict) and "id" in p}
    for pid in posts:
        seen, cur = set(), pid
        while cur in posts and "reports_to" in posts[cur]:
            if cur in seen:
                errors.append("posts: reports_to cycle through %r" % pid)
                break
            seen.add(cur)
            cur = posts[cur]["reports_to"]
    return errors


# ---------------------------------------------------------------------------------------------
# An independent reading of docs/checks.md
# ---------------------------------------------------------------------------------------------


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def judge(doc):
    a = doc["authority"]
    as_of = a["as_of"]
    if a["type"] == "district":
        return {c: "not_applicable" for c in CHECK_IDS}
    people = {p["id"]: p for p in doc.get("people", [])}
    posts = doc.get("posts", [])
    post_by = {p["id"]: p for p in posts}
    bodies = doc.get("bodies", [])
    ass = doc.get("assurance", {})
    interval = ass.get("review_interval_months", 12)
    reviews = [r for r in ass.get("reviews", [])
               if r["kind"] != "ofsted_inspection" and r["date"] <= as_of]

    def bears(c):  # edge 7: an appointment, interim or vacancy of posts with no statutory role
        if c["kind"] not in ("appointment", "interim", "vacancy") or not c.get("posts"):
            return True
        return any((post_by[p].get("statutory_roles") or []) for p in c["posts"])
    changes = [c for c in ass.get("changes", []) if c["date"] <= as_of and bears(c)]

    def current(r):
        return as_of < add_months(r["date"], interval) and not any(
            c["date"] > r["date"] for c in changes)

    current_reviews = [r for r in reviews if current(r)]
    latest = None
    for r in reviews:  # ties: the later in the file wins
        if latest is None or r["date"] >= latest["date"]:
            latest = r

    def roles(p):
        return p.get("statutory_roles", [])

    hops_posts = [p for p in posts if "head_of_paid_service" in roles(p)]
    hops = hops_posts[0] if len(hops_posts) == 1 else None
    dcs_posts = [p for p in posts if "dcs" in roles(p)]
    dcs = dcs_posts[0] if len(dcs_posts) == 1 else None
    holder = people.get(dcs.get("holder")) if dcs else None

    def below(pid, anc):
        seen = set()
        cur = post_by.get(pid, {}).get("reports_to")
        while cur and cur not in seen:
            if cur == anc:
                return True
            seen.add(cur)
            cur = post_by.get(cur, {}).get("reports_to")
        return False

    lmcs_ids = []
    for m in doc.get("members", []):
        if "lmcs" in m.get("designations", []) and m["person"] not in lmcs_ids:
            lmcs_ids.append(m["person"])
    lmcs = people[lmcs_ids[0]] if len(lmcs_ids) == 1 else None
    lmcs_roles, lmcs_portfolio = set(), None
    if lmcs:
        for m in doc.get("members", []):
            if m["person"] == lmcs["id"]:
                lmcs_roles |= set(m["roles"])
                if "portfolio" in m:
                    lmcs_portfolio = (lmcs_portfolio or set()) | set(m["portfolio"])

    def seats(pid, kinds):
        out = []
        for b in bodies:
            if b["kind"] in kinds:
                if b.get("chair") == pid:
                    out.append("chair")
                out += [s["role"] for s in b.get("members", []) if s["who"] == pid]
        return out

    SG = {"lscb", "safeguarding_partnership"}
    res = {}

    res["dcs.appointed"] = "pass" if dcs and dcs.get("holder") else "fail"
    res["lmcs.designated"] = "pass" if lmcs and lmcs["elected_member"] else "fail"

    def on_post(fn):
        return "not_recorded" if dcs is None else fn()

    def on_holder(fn):
        return "not_recorded" if holder is None else fn()

    res["dcs.integrated-brief"] = on_post(lambda: "not_recorded" if "functions" not in dcs else (
        "pass" if {"education", "childrens_social_care"} <= set(dcs["functions"]) else "fail"))
    res["lmcs.integrated-brief"] = "not_recorded" if lmcs is None or lmcs_portfolio is None else (
        "pass" if {"education", "childrens_social_care"} <= lmcs_portfolio else "fail")

    def reports():
        if "head_of_paid_service" in roles(dcs):
            return "not_applicable"
        if hops is None or "reports_to" not in dcs:
            return "not_recorded"
        return "pass" if dcs["reports_to"] == hops["id"] else "fail"
    res["dcs.reports-to-ceo"] = on_post(reports)

    def not_ceo():
        if hops is None:
            return "not_recorded"
        bad = dcs is hops or hops.get("holder") == holder["id"]
        if not bad:
            return "pass"
        temp = (dcs.get("interim_until") is not None and dcs["interim_until"] >= as_of
                and dcs.get("recruitment_active") is True)
        return "pass" if temp else "fail"
    def not_ceo_vacant():  # edge 2: a vacant post that is itself the hops post is judged on it
        if "head_of_paid_service" not in roles(dcs):
            return "not_recorded"
        temp = (dcs.get("interim_until") is not None and dcs["interim_until"] >= as_of
                and dcs.get("recruitment_active") is True)
        return "pass" if temp else "fail"
    res["dcs.not-ceo"] = on_post(lambda: not_ceo() if holder is not None else not_ceo_vacant())
    res["dcs.politically-restricted"] = on_post(
        lambda: on_holder(lambda: "fail" if holder["elected_member"] else "pass"))
    res["lmcs.executive-member"] = "not_applicable" if a["governance"] == "committee" else (
        "not_recorded" if lmcs is None else
        ("pass" if lmcs_roles & {"cabinet_member", "leader", "mayor"} else "fail"))

    def dcs_additional():
        other = set(roles(dcs)) - {"dcs"}
        if holder is not None:
            for p in posts:
                if p is not dcs and p.get("holder") == holder["id"]:
                    other |= set(roles(p))
        if not other:
            if "functions" not in dcs:
                return "not_recorded"
            if not set(dcs["functions"]) & OUTSIDE:
                return "not_applicable"
        need = {"dcs"} | other
        return "pass" if any(need <= set(r.get("scope", [])) for r in current_reviews) else "fail"
    res["dcs.additional-functions-assured"] = on_post(dcs_additional)
    res["lmcs.additional-functions-assured"] = (
        "not_recorded" if lmcs is None or lmcs_portfolio is None else
        "not_applicable" if not lmcs_portfolio & OUTSIDE else
        "pass" if any("lmcs" in r.get("scope", []) for r in current_reviews) else "fail")
    res["dcs.joint-appointment-assured"] = on_post(
        lambda: "not_applicable" if not dcs.get("shared_with") else (
            "pass" if any("dcs" in r.get("scope", []) for r in current_reviews) else "fail"))
    res["assurance.review-current"] = "pass" if current_reviews else "fail"

    def on_latest(fn):
        return "not_recorded" if latest is None else ("pass" if fn(latest) else "fail")
    res["assurance.agreed-within-council"] = on_latest(
        lambda r: "approved_by" in r and "approved_on" in r)
    res["assurance.self-and-peer"] = on_latest(
        lambda r: r.get("self_assessed") is True and r.get("peer_challenged") is True)
    res["assurance.essential-elements"] = on_latest(
        lambda r: set(SIX) <= set(r.get("elements", [])))

    on = ass.get("published", {}).get("on")
    if on is None:
        res["assurance.transparency"] = "fail"
    else:
        dates = []
        if holder is not None and "appointed" in holder:
            dates.append(holder["appointed"])
        if lmcs is not None and "appointed" in lmcs:
            dates.append(lmcs["appointed"])
        res["assurance.transparency"] = "pass" if all(on >= d for d in dates) else "fail"

    res["safeguarding.dcs-member"] = on_holder(
        lambda: "pass" if any(r != "participating_observer" for r in seats(holder["id"], SG))
        else "fail")
    if lmcs is None:
        res["safeguarding.lmcs-observer"] = "not_recorded"
    else:
        s = seats(lmcs["id"], SG)
        res["safeguarding.lmcs-observer"] = (
            "pass" if "participating_observer" in s and all(r == "participating_observer"
                                                            for r in s) else "fail")
    lscbs = [b for b in bodies if b["kind"] == "lscb"]
    if not lscbs:
        res["safeguarding.chair-appointed-by-ceo"] = "not_applicable"
    elif any("chair_appointed_by" not in b for b in lscbs):
        res["safeguarding.chair-appointed-by-ceo"] = "fail"
    elif hops is None:
        res["safeguarding.chair-appointed-by-ceo"] = "not_recorded"
    else:
        res["safeguarding.chair-appointed-by-ceo"] = (
            "pass" if all(b["chair_appointed_by"] == hops["id"] for b in lscbs) else "fail")
    if not any(b["kind"] == "health_and_wellbeing_board" for b in bodies):
        res["hwb.dcs-member"] = "fail"
    else:
        res["hwb.dcs-member"] = on_holder(
            lambda: "pass" if seats(holder["id"], {"health_and_wellbeing_board"}) else "fail")
    res["partnership.dph-appointed"] = (
        "pass" if any("dph" in roles(p) and p.get("holder") for p in posts) else "fail")
    res["schools-forum.established"] = (
        "pass" if any(b["kind"] == "schools_forum" for b in bodies) else "fail")

    providers = [c for c in doc.get("functions_commissioned", [])
                 if set(c["functions"]) - OUTSIDE]
    if not providers:
        res["commissioning.accountable-post"] = "not_applicable"
    elif any("accountable_post" not in c for c in providers):
        res["commissioning.accountable-post"] = "fail"
    else:
        res["commissioning.accountable-post"] = on_post(
            lambda: "pass" if all(c["accountable_post"] == dcs["id"] or
                                  below(c["accountable_post"], dcs["id"]) for c in providers)
            else "fail")

    def operational():
        others = [p for p in posts if p is not dcs and "functions" in p
                  and set(p["functions"]) & {"education", "childrens_social_care"}]
        if not others:
            return "not_applicable"
        return "pass" if all(below(p["id"], dcs["id"]) for p in others) else "fail"
    res["dcs.operational-line"] = on_post(operational)

    def second_tier():
        leads = [p for p in posts if p.get("safeguarding_lead") is True and below(p["id"],
                                                                                  dcs["id"])]
        holders = [people[p["holder"]] for p in leads if p.get("holder")]
        if any(h.get("csc_background") == "strong" for h in holders):
            return "pass"
        if any("csc_background" not in h for h in holders):
            return "not_recorded"
        return "fail"
    def second_tier_no_dcs():  # edge 11: fail when no lead post anywhere could pass
        holders = [people[p["holder"]] for p in posts
                   if p.get("safeguarding_lead") is True and p.get("holder")]
        if any(h.get("csc_background", "strong") == "strong" for h in holders):
            return "not_recorded"
        return "fail"
    res["safeguarding.second-tier-credentials"] = (
        second_tier_no_dcs() if not dcs_posts else on_post(second_tier))

    def mentoring():
        if "first_director_role" not in holder:
            return "not_recorded"
        if not holder["first_director_role"]:
            return "not_applicable"
        return "pass" if holder.get("mentor") else "fail"
    res["dcs.mentoring"] = on_post(lambda: on_holder(mentoring))

    def due():
        if "due_diligence" not in holder:
            return "fail"
        if "appointed" not in holder:
            return "not_recorded"
        return "pass" if holder["due_diligence"] <= holder["appointed"] else "fail"
    res["dcs.due-diligence"] = on_post(lambda: on_holder(due))
    res["dcs.children-involved"] = on_post(lambda: on_holder(
        lambda: "pass" if holder.get("children_involved_in_appointment") is True else "fail"))

    # departures
    valid = set()
    for d in ass.get("departures", []):
        if (d.get("reason", "").strip() and d.get("agreed_on") is not None
                and d["agreed_on"] <= as_of
                and (d.get("review_by") is None or d["review_by"] >= as_of)):
            valid.add(d["check"])
    for c in CHECK_IDS:
        if res[c] == "fail" and MODALITY[c] != "must" and c in valid:
            res[c] = "departure"
    assert set(res) == set(CHECK_IDS)
    return res


# ---------------------------------------------------------------------------------------------


def main():
    show_all = "--all" in sys.argv
    files = sorted(glob.glob(os.path.join(HERE, "*", "*.yaml")))
    problems = 0
    per_folder = {}
    for f in files:
        rel = os.path.relpath(f, HERE)
        folder = rel.split(os.sep)[0]
        per_folder[folder] = per_folder.get(folder, 0) + 1
        text = open(f, encoding="utf-8").read()
        expects, head = [], True
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = re.match(r"^# expect: (\S+) (\S+)$", line)
            if m:
                if not head:
                    print("%s: expect line after a non-expect comment" % rel)
                    problems += 1
                expects.append((m.group(1), m.group(2)))
            else:
                head = False
        if not expects:
            print("%s: no expect lines" % rel)
            problems += 1
        try:
            docs = list(yaml.load_all(text, Loader=Loader))
        except (yaml.YAMLError, ValueError) as e:
            print("%s: YAML error: %s" % (rel, e))
            problems += 1
            continue
        if len(docs) != 1:
            print("%s: %d documents" % (rel, len(docs)))
            problems += 1
            continue
        doc = docs[0]
        errs = validate_doc(doc)
        for e in errs:
            print("%s: %s" % (rel, e))
        problems += len(errs)
        if errs:
            continue
        got = judge(doc)
        for check, status in expects:
            if check not in CHECK_IDS or status not in STATUSES:
                print("%s: bad expectation %s %s" % (rel, check, status))
                problems += 1
            elif got[check] != status:
                print("%s: expects %s %s, reference reading gives %s"
                      % (rel, check, status, got[check]))
                problems += 1
        if folder in CHECK_IDS and expects and expects[0][0] != folder:
            print("%s: first expectation is not the folder's check" % rel)
            problems += 1
        if show_all:
            print(rel, " ".join("%s=%s" % (c, got[c]) for c in CHECK_IDS
                                if got[c] != "pass"))
    for folder in sorted(per_folder):
        print("%4d  %s" % (per_folder[folder], folder))
    print("%d files, %d problems" % (len(files), problems))
    missing = set(CHECK_IDS) - set(per_folder)
    if missing:
        print("no cases for: %s" % ", ".join(sorted(missing)))
        problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
