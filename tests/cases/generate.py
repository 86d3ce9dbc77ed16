#!/usr/bin/env python3
"""Generates the data-driven check cases under tests/cases/<check-id>/<case>.yaml.

Every case starts from one fully compliant arrangement (`base()`, every check passes or is
not_applicable at its `as_of`) and applies a small change. Each file opens with lines

    # expect: <check-id> <status>

(the first names the check under test; the others name checks whose status in that file the
contract decides in an interesting way), then `# ` lines saying why, then the YAML document.
A runner loads the file, runs every check and asserts each listed check has exactly that status.

The expectations are written by hand from the rules in docs/checks.md and docs/format.md; the
comment beside a case cites the rule it applies. `validate.py` checks every generated file
against the format and cross-checks the expectations against an independent Python reading.

Usage: python3 tests/cases/generate.py      (rewrites every generated .yaml file)
"""

import copy
import datetime as dt
import glob
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
D = dt.date.fromisoformat

CHECK_IDS = [
    "dcs.appointed",
    "lmcs.designated",
    "dcs.integrated-brief",
    "lmcs.integrated-brief",
    "dcs.reports-to-ceo",
    "dcs.not-ceo",
    "dcs.politically-restricted",
    "lmcs.executive-member",
    "dcs.additional-functions-assured",
    "lmcs.additional-functions-assured",
    "dcs.joint-appointment-assured",
    "assurance.review-current",
    "assurance.agreed-within-council",
    "assurance.self-and-peer",
    "assurance.essential-elements",
    "assurance.transparency",
    "safeguarding.dcs-member",
    "safeguarding.lmcs-observer",
    "safeguarding.chair-appointed-by-ceo",
    "hwb.dcs-member",
    "partnership.dph-appointed",
    "schools-forum.established",
    "commissioning.accountable-post",
    "dcs.operational-line",
    "safeguarding.second-tier-credentials",
    "dcs.mentoring",
    "dcs.due-diligence",
    "dcs.children-involved",
]
STATUSES = ["pass", "fail", "departure", "not_recorded", "not_applicable"]
SIX = ["senior_management", "accountability", "breadth_of_role", "children_voice",
       "child_protection", "partnerships"]

# Status of every check in the compliant base at its as_of (2017-06-30).
BASE_STATUS = {
    "dcs.appointed": "pass",
    "lmcs.designated": "pass",
    "dcs.integrated-brief": "pass",
    "lmcs.integrated-brief": "pass",
    "dcs.reports-to-ceo": "pass",
    "dcs.not-ceo": "pass",
    "dcs.politically-restricted": "pass",
    "lmcs.executive-member": "pass",
    "dcs.additional-functions-assured": "not_applicable",   # no additional function or role
    "lmcs.additional-functions-assured": "not_applicable",  # portfolio is children's only
    "dcs.joint-appointment-assured": "not_applicable",      # no shared_with
    "assurance.review-current": "pass",
    "assurance.agreed-within-council": "pass",
    "assurance.self-and-peer": "pass",
    "assurance.essential-elements": "pass",
    "assurance.transparency": "pass",
    "safeguarding.dcs-member": "pass",
    "safeguarding.lmcs-observer": "pass",
    "safeguarding.chair-appointed-by-ceo": "not_applicable",  # only a safeguarding_partnership
    "hwb.dcs-member": "pass",
    "partnership.dph-appointed": "pass",
    "schools-forum.established": "pass",
    "commissioning.accountable-post": "not_applicable",     # nothing commissioned
    "dcs.operational-line": "pass",
    "safeguarding.second-tier-credentials": "pass",
    "dcs.mentoring": "not_applicable",                       # first_director_role: false
    "dcs.due-diligence": "pass",
    "dcs.children-involved": "pass",
}


# --------------------------------------------------------------------------------------------
# The compliant base
# --------------------------------------------------------------------------------------------

def base():
    return {
        "authority": {
            "id": "case-authority",
            "name": "Case Authority County Council",
            "type": "county",
            "governance": "leader_cabinet",
            "as_of": D("2017-06-30"),
        },
        "people": [
            {"id": "chris-chief", "name": "Chris Chief", "elected_member": False},
            {
                "id": "alex-director",
                "name": "Alex Director",
                "elected_member": False,
                "appointed": D("2016-01-04"),
                "interim": False,
                "first_director_role": False,
                "csc_background": "strong",
                "due_diligence": D("2015-11-20"),
                "children_involved_in_appointment": True,
            },
            {"id": "sam-second", "name": "Sam Second", "elected_member": False,
             "csc_background": "strong"},
            {"id": "dana-health", "name": "Dana Health", "elected_member": False},
            {"id": "lee-leader", "name": "Lee Leader", "elected_member": True},
            {"id": "cat-councillor", "name": "Cat Councillor", "elected_member": True,
             "appointed": D("2016-05-20")},
        ],
        "posts": [
            {"id": "ceo", "title": "Chief Executive", "holder": "chris-chief",
             "statutory_roles": ["head_of_paid_service"]},
            {"id": "dcs", "title": "Director of Children's Services", "holder": "alex-director",
             "reports_to": "ceo", "statutory_roles": ["dcs"],
             "functions": ["education", "childrens_social_care"]},
            {"id": "head-of-safeguarding", "title": "Assistant Director, Safeguarding",
             "holder": "sam-second", "reports_to": "dcs",
             "functions": ["childrens_social_care"], "safeguarding_lead": True},
            {"id": "dph", "title": "Director of Public Health", "holder": "dana-health",
             "reports_to": "ceo", "statutory_roles": ["dph"], "functions": ["public_health"]},
        ],
        "members": [
            {"person": "lee-leader", "roles": ["leader"]},
            {"person": "cat-councillor", "roles": ["cabinet_member"],
             "portfolio": ["education", "childrens_social_care"], "designations": ["lmcs"]},
        ],
        "bodies": [
            {"id": "safeguarding-partnership",
             "name": "Case Authority Safeguarding Children Partnership",
             "kind": "safeguarding_partnership",
             "members": [
                 {"who": "alex-director", "role": "member"},
                 {"who": "cat-councillor", "role": "participating_observer"},
             ]},
            {"id": "health-and-wellbeing-board", "name": "Health and Wellbeing Board",
             "kind": "health_and_wellbeing_board", "chair": "lee-leader",
             "members": [
                 {"who": "alex-director", "role": "member"},
                 {"who": "cat-councillor", "role": "member"},
                 {"who": "dana-health", "role": "member"},
             ]},
            {"id": "schools-forum", "name": "Schools Forum", "kind": "schools_forum"},
            {"id": "cabinet", "name": "Cabinet", "kind": "cabinet",
             "members": [
                 {"who": "lee-leader", "role": "chair"},
                 {"who": "cat-councillor", "role": "member"},
             ]},
        ],
        "assurance": {
            "reviews": [
                {"id": "review-2017-03", "date": D("2017-03-01"), "kind": "local_assurance_test",
                 "scope": ["dcs", "lmcs"], "elements": list(SIX),
                 "self_assessed": True, "peer_challenged": True,
                 "approved_by": "cabinet", "approved_on": D("2017-03-15")},
            ],
            "changes": [
                {"date": D("2015-09-01"), "kind": "restructure",
                 "description": "Children's services directorate formed"},
            ],
            "published": {"url": "https://case-authority.example.gov.uk/childrens-leadership",
                          "on": D("2017-03-20")},
        },
    }


# --------------------------------------------------------------------------------------------
# Small edits
# --------------------------------------------------------------------------------------------

def find(items, key, value):
    for item in items:
        if item.get(key) == value:
            return item
    raise KeyError(value)


def person(doc, pid):
    return find(doc["people"], "id", pid)


def post(doc, pid):
    return find(doc["posts"], "id", pid)


def body(doc, bid):
    return find(doc["bodies"], "id", bid)


def member(doc, pid):
    return find(doc["members"], "person", pid)


def review(doc, rid="review-2017-03"):
    return find(doc["assurance"]["reviews"], "id", rid)


def add_person(doc, pid, name, elected=False, **extra):
    doc["people"].append({"id": pid, "name": name, "elected_member": elected, **extra})


def remove_person(doc, pid):
    """Removes a person and everything naming them (holder, seats, chairs, member entries)."""
    doc["people"] = [p for p in doc["people"] if p["id"] != pid]
    for p in doc.get("posts", []):
        if p.get("holder") == pid:
            del p["holder"]
    for b in doc.get("bodies", []):
        if b.get("chair") == pid:
            del b["chair"]
        if "members" in b:
            b["members"] = [s for s in b["members"] if s["who"] != pid]
            if not b["members"]:
                del b["members"]
    doc["members"] = [m for m in doc.get("members", []) if m["person"] != pid]


def vacate_dcs(doc):
    remove_person(doc, "alex-director")


def remove_body(doc, bid):
    doc["bodies"] = [b for b in doc["bodies"] if b["id"] != bid]


def remove_seat(doc, bid, who):
    b = body(doc, bid)
    b["members"] = [s for s in b["members"] if s["who"] != who]


def departure(doc, check, reason="Agreed with clear reasons recorded in the Cabinet minutes",
              agreed_by="cabinet", agreed_on="2017-02-01", review_by="2017-12-31"):
    d = {"check": check}
    if reason is not None:
        d["reason"] = reason
    if agreed_by is not None:
        d["agreed_by"] = agreed_by
    if agreed_on is not None:
        d["agreed_on"] = D(agreed_on)
    if review_by is not None:
        d["review_by"] = D(review_by)
    doc["assurance"].setdefault("departures", []).append(d)


def expired_departure(doc, check):
    departure(doc, check, reason="Agreed until the restructure settled",
              agreed_on="2016-06-01", review_by="2017-06-29")


def future_departure(doc, check):
    departure(doc, check, reason="To be agreed at the July Cabinet",
              agreed_on="2017-07-01", review_by="2017-12-31")


def set_reviews(doc, *reviews):
    doc["assurance"]["reviews"] = list(reviews)


def lat(rid, date, scope=("dcs", "lmcs"), elements=None, approved_on=None, kind=None, **extra):
    """A complete local assurance test dated `date`, approved by cabinet two weeks later."""
    d = D(date)
    r = {"id": rid, "date": d, "kind": kind or "local_assurance_test", "scope": list(scope),
         "elements": list(SIX if elements is None else elements),
         "self_assessed": True, "peer_challenged": True, "approved_by": "cabinet",
         "approved_on": D(approved_on) if approved_on else d + dt.timedelta(days=14)}
    r.update(extra)
    return r


def add_change(doc, date, kind="restructure", description="Senior posts redesigned", posts=None):
    c = {"date": D(date), "kind": kind, "description": description}
    if posts is not None:
        c["posts"] = list(posts)
    doc["assurance"].setdefault("changes", []).append(c)


def add_virtual_school_head(doc):
    """A post that carries no statutory role: the Head of Virtual School, below the DCS."""
    add_person(doc, "val-virtual", "Val Virtual", appointed=D("2017-04-03"))
    doc["posts"].append({"id": "head-of-virtual-school", "title": "Head of Virtual School",
                         "holder": "val-virtual", "reports_to": "dcs",
                         "functions": ["education"]})


def make_combined_ceo_dcs(doc):
    """The DCS post is also the head of paid service's post (no separate chief executive)."""
    remove_person(doc, "chris-chief")
    doc["posts"] = [p for p in doc["posts"] if p["id"] != "ceo"]
    p = post(doc, "dcs")
    p["title"] = "Chief Executive and Director of Children's Services"
    p["statutory_roles"] = ["head_of_paid_service", "dcs"]
    del p["reports_to"]
    post(doc, "dph")["reports_to"] = "dcs"


def make_dcs_holder_also_ceo(doc):
    """Separate posts, but the DCS's holder also holds the chief executive's post."""
    remove_person(doc, "chris-chief")
    post(doc, "ceo")["holder"] = "alex-director"


def make_lscb(doc, bid="safeguarding-partnership", appointed_by="ceo"):
    """Turns the safeguarding partnership into an LSCB with an independent chair."""
    b = body(doc, bid)
    b["name"] = "Case Authority Local Safeguarding Children Board"
    b["kind"] = "lscb"
    if not any(p["id"] == "indy-chair" for p in doc["people"]):
        add_person(doc, "indy-chair", "Indy Chair")
    b["chair"] = "indy-chair"
    if appointed_by is not None:
        b["chair_appointed_by"] = appointed_by
    # keep key order readable: id, name, kind, chair, chair_appointed_by, members
    order = ["id", "name", "kind", "chair", "chair_appointed_by", "members"]
    items = dict(b)
    b.clear()
    for k in order:
        if k in items:
            b[k] = items[k]


def add_lscb(doc, bid="lscb", appointed_by="ceo", seats=()):
    if not any(p["id"] == "indy-chair" for p in doc["people"]):
        add_person(doc, "indy-chair", "Indy Chair")
    name = "Local Safeguarding Children Board" + ("" if bid == "lscb" else " (%s)" % bid)
    b = {"id": bid, "name": name, "kind": "lscb",
         "chair": "indy-chair"}
    if appointed_by is not None:
        b["chair_appointed_by"] = appointed_by
    if seats:
        b["members"] = [{"who": w, "role": r} for w, r in seats]
    doc["bodies"].insert(1, b)


def add_dass(doc):
    p = post(doc, "dcs")
    p["title"] = "Director of Children's and Adults' Services"
    p["statutory_roles"] = ["dcs", "dass"]
    p["functions"] = ["education", "childrens_social_care", "adult_social_care"]


def add_commissioned(doc, cid="childrens-trust", functions=("childrens_social_care",),
                     accountable_post="dcs", provider="trust", name=None):
    c = {"id": cid, "name": name or "Commissioned provider " + cid, "provider": provider,
         "functions": list(functions)}
    if accountable_post is not None:
        c["accountable_post"] = accountable_post
    doc.setdefault("functions_commissioned", []).append(c)


def set_as_of(doc, date):
    doc["authority"]["as_of"] = D(date)


# --------------------------------------------------------------------------------------------
# Case registry
# --------------------------------------------------------------------------------------------

CASES = []  # (folder, name, expects [(check, status)], why [str], doc)


def case(folder, name, expects, why=""):
    """Decorator: registers fn(doc) as a case; expects is a list of 'check status' strings."""
    def deco(fn):
        doc = base()
        fn(doc)
        exp = []
        for e in expects:
            check, status = e.split()
            exp.append((check, status))
        CASES.append((folder, name, exp, why, doc))
        return fn
    return deco


def E(check, *pairs):
    """Helper for expectations: E('x', 'fail', 'y not_recorded') -> ['x fail', 'y not_recorded']."""
    return [check + " " + pairs[0]] + list(pairs[1:])




# --------------------------------------------------------------------------------------------
# YAML output
# --------------------------------------------------------------------------------------------

class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _repr_list(dumper, data):
    flow = all(not isinstance(x, (dict, list)) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _repr_dict(dumper, data):
    flow = set(data) <= {"who", "role"}
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


Dumper.add_representer(list, _repr_list)
Dumper.add_representer(dict, _repr_dict)

TOP_ORDER = ["authority", "people", "posts", "members", "bodies", "functions_commissioned",
             "assurance"]


ASSURANCE_ORDER = ["reviews", "review_interval_months", "changes", "departures", "published"]


def render(doc):
    if "assurance" in doc:
        ass = doc["assurance"]
        doc = dict(doc, assurance={k: ass[k] for k in ASSURANCE_ORDER if k in ass})
    parts = []
    for key in TOP_ORDER:
        if key in doc:
            parts.append(yaml.dump({key: doc[key]}, Dumper=Dumper, sort_keys=False,
                                   default_flow_style=False, allow_unicode=True, width=1000))
    text = "\n".join(parts)
    # PyYAML quotes the key `on` (a YAML 1.1 boolean); the format writes it plain, and under the
    # YAML 1.2 core schema (yaml-cpp) a plain `on` is a string.
    return text.replace("\n    'on': ", "\n    on: ")


def write_case(folder, name, expects, why, doc):
    lines = ["# expect: %s %s" % (c, s) for c, s in expects]
    for w in why.strip().splitlines():
        lines.append("# " + w.strip() if w.strip() else "#")
    text = "\n".join(lines) + "\n" + render(doc)
    path = os.path.join(HERE, folder, name + ".yaml")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def main():
    seen = set()
    # Remove what a previous run wrote (the .yaml files of the folders this script owns).
    for folder in CHECK_IDS + ["_base"]:
        for f in glob.glob(os.path.join(HERE, folder, "*.yaml")):
            os.remove(f)
    for folder, name, expects, why, doc in CASES:
        key = (folder, name)
        if key in seen:
            sys.exit("duplicate case %s/%s" % key)
        seen.add(key)
        if folder not in CHECK_IDS and not folder.startswith("_"):
            sys.exit("bad folder %s" % folder)
        checks = [c for c, _ in expects]
        if len(set(checks)) != len(checks):
            sys.exit("%s/%s lists a check twice" % key)
        for c, s in expects:
            if c not in CHECK_IDS or s not in STATUSES:
                sys.exit("%s/%s: bad expectation %s %s" % (folder, name, c, s))
        if folder in CHECK_IDS and checks[0] != folder:
            sys.exit("%s/%s: first expectation must be the check under test" % key)
        write_case(folder, name, expects, why, doc)
    print("wrote %d cases" % len(CASES))



# ============================================================================================
# The cases. Folder = the check under test; "_base" holds whole-file cases.
# ============================================================================================

ALL_DCS_STAR_NR = ["%s not_recorded" % c for c in CHECK_IDS
                   if c.startswith("dcs.") and c != "dcs.appointed"]

# ---- _base ---------------------------------------------------------------------------------


@case("_base", "compliant", ["%s %s" % kv for kv in BASE_STATUS.items()],
      "The compliant base every other case starts from; all 28 checks listed.")
def _(doc):
    pass


@case("_base", "compliant-london-borough", ["%s %s" % kv for kv in BASE_STATUS.items()],
      "Same arrangements for a London borough: only a district is outside the checks.")
def _(doc):
    doc["authority"]["type"] = "london_borough"


@case("_base", "district-council", ["%s not_applicable" % c for c in CHECK_IDS],
      "A district council is not a children's services authority: every check not_applicable.")
def _(doc):
    doc["authority"]["type"] = "district"


@case("_base", "district-council-nothing-recorded", ["%s not_applicable" % c for c in CHECK_IDS],
      """A district council with no DCS, no LMCS, no bodies and no reviews: still every check
      not_applicable (the contract's outcome table), never fail.""")
def _(doc):
    doc["authority"]["type"] = "district"
    for k in ("people", "posts", "members", "bodies", "assurance"):
        del doc[k]


# ---- dcs.appointed (must) ------------------------------------------------------------------


@case("dcs.appointed", "pass", ["dcs.appointed pass"])
def _(doc):
    pass


@case("dcs.appointed", "pass-interim-holder", ["dcs.appointed pass"],
      "An interim holder is a holder.")
def _(doc):
    person(doc, "alex-director")["interim"] = True


@case("dcs.appointed", "fail-vacant-post", [
    "dcs.appointed fail",
    "dcs.integrated-brief pass", "dcs.reports-to-ceo pass",
    "dcs.joint-appointment-assured not_applicable", "dcs.operational-line pass",
    "safeguarding.second-tier-credentials pass", "commissioning.accountable-post not_applicable",
    "dcs.not-ceo not_recorded", "dcs.politically-restricted not_recorded",
    "dcs.mentoring not_recorded", "dcs.due-diligence not_recorded",
    "dcs.children-involved not_recorded", "safeguarding.dcs-member not_recorded",
    "hwb.dcs-member not_recorded", "assurance.transparency pass"],
      """Edge 2: a vacant DCS post. Checks on the post (functions, reporting line, sharing,
      what lies below it) are judged on the post; checks on the holder are not_recorded;
      dcs.not-ceo needs the holder. hwb.dcs-member: a board exists, so the verdict hinges on
      the missing holder (edge 1). Transparency skips the missing role (edge 12).""")
def _(doc):
    vacate_dcs(doc)


@case("dcs.appointed", "fail-no-dcs-post", [
    "dcs.appointed fail",
    "dcs.integrated-brief not_recorded", "dcs.politically-restricted not_recorded",
    "dcs.reports-to-ceo not_recorded", "dcs.due-diligence not_recorded",
    "safeguarding.dcs-member not_recorded", "hwb.dcs-member not_recorded",
    "partnership.dph-appointed pass", "schools-forum.established pass"],
      """No post carries dcs (the post exists but without the statutory role). Checks that need
      the DCS are not_recorded, pointing at dcs.appointed.""")
def _(doc):
    del post(doc, "dcs")["statutory_roles"]


@case("dcs.appointed", "fail-two-dcs-posts", ["dcs.appointed fail"] + ALL_DCS_STAR_NR,
      """Edge 2: two posts carry dcs, both held: dcs.appointed fails (exactly one post) and
      every other dcs.* check is not_recorded.""")
def _(doc):
    add_person(doc, "bo-director", "Bo Director", appointed=D("2016-02-01"),
               first_director_role=False, csc_background="strong",
               due_diligence=D("2016-01-10"), children_involved_in_appointment=True)
    doc["posts"].insert(2, {"id": "dcs-east", "title": "Director of Children's Services (East)",
                            "holder": "bo-director", "reports_to": "ceo",
                            "statutory_roles": ["dcs"],
                            "functions": ["education", "childrens_social_care"]})


@case("dcs.appointed", "fail-must-departure-ignored", ["dcs.appointed fail"],
      "A must: a valid departure is recorded but cannot excuse it.")
def _(doc):
    vacate_dcs(doc)
    departure(doc, "dcs.appointed")


# ---- lmcs.designated (must) ----------------------------------------------------------------


@case("lmcs.designated", "pass", ["lmcs.designated pass"])
def _(doc):
    pass


@case("lmcs.designated", "fail-none-designated", [
    "lmcs.designated fail", "lmcs.integrated-brief not_recorded",
    "lmcs.executive-member not_recorded", "lmcs.additional-functions-assured not_recorded",
    "safeguarding.lmcs-observer not_recorded", "assurance.transparency pass"],
      """Nobody carries the lmcs designation: the other LMCS checks need the role, so they are
      not_recorded (lmcs.additional-functions-assured cannot tell whether it applies without
      the LMCS's portfolio). Transparency skips the missing role (edge 12).""")
def _(doc):
    del member(doc, "cat-councillor")["designations"]


@case("lmcs.designated", "fail-two-people-designated", ["lmcs.designated fail"],
      "Exactly one person must be designated lmcs; here two are.")
def _(doc):
    member(doc, "lee-leader")["designations"] = ["lmcs"]


@case("lmcs.designated", "fail-not-elected", [
    "lmcs.designated fail", "lmcs.integrated-brief pass", "lmcs.executive-member pass",
    "safeguarding.lmcs-observer pass", "lmcs.additional-functions-assured not_applicable"],
      """Edge 6: the designated person is not an elected member: lmcs.designated fails and the
      other LMCS checks are still judged on them.""")
def _(doc):
    person(doc, "cat-councillor")["elected_member"] = False


@case("lmcs.designated", "pass-several-entries-merged", [
    "lmcs.designated pass", "lmcs.integrated-brief pass", "lmcs.executive-member pass"],
      """Edge 6: the LMCS has two members entries; they count once and their roles and
      portfolios are merged (education from one, childrens_social_care from the other).""")
def _(doc):
    m = member(doc, "cat-councillor")
    m["portfolio"] = ["education"]
    doc["members"].append({"person": "cat-councillor", "roles": ["committee_chair"],
                           "portfolio": ["childrens_social_care"]})


@case("lmcs.designated", "pass-designated-in-two-entries-of-one-person",
      ["lmcs.designated pass"],
      "Edge 6: one person designated in two of their entries is one LMCS.")
def _(doc):
    doc["members"].append({"person": "cat-councillor", "roles": ["committee_chair"],
                           "designations": ["lmcs"]})


@case("lmcs.designated", "fail-must-departure-ignored", ["lmcs.designated fail"],
      "A must: a valid departure cannot excuse it.")
def _(doc):
    del member(doc, "cat-councillor")["designations"]
    departure(doc, "lmcs.designated")


# ---- dcs.integrated-brief (must) -----------------------------------------------------------


@case("dcs.integrated-brief", "pass", ["dcs.integrated-brief pass"])
def _(doc):
    pass


@case("dcs.integrated-brief", "fail-no-education", ["dcs.integrated-brief fail"])
def _(doc):
    post(doc, "dcs")["functions"] = ["childrens_social_care", "early_help"]


@case("dcs.integrated-brief", "fail-no-childrens-social-care", ["dcs.integrated-brief fail"])
def _(doc):
    post(doc, "dcs")["functions"] = ["education", "send", "early_years"]


@case("dcs.integrated-brief", "not-recorded-functions-absent", [
    "dcs.integrated-brief not_recorded", "dcs.additional-functions-assured not_recorded"],
      """Edge 3: a post's functions left out are unknown. dcs.additional-functions-assured
      cannot decide whether it applies (the post carries no other statutory role and its
      holder holds no other post), so it is not_recorded too.""")
def _(doc):
    del post(doc, "dcs")["functions"]


@case("dcs.integrated-brief", "fail-vacant-post-judged-on-post", [
    "dcs.integrated-brief fail", "dcs.appointed fail"],
      "Edge 2: a vacant DCS post's functions are still judged on the post.")
def _(doc):
    vacate_dcs(doc)
    post(doc, "dcs")["functions"] = ["childrens_social_care"]


@case("dcs.integrated-brief", "fail-must-departure-ignored", ["dcs.integrated-brief fail"])
def _(doc):
    post(doc, "dcs")["functions"] = ["childrens_social_care"]
    departure(doc, "dcs.integrated-brief")


# ---- lmcs.integrated-brief (must) ----------------------------------------------------------


@case("lmcs.integrated-brief", "pass", ["lmcs.integrated-brief pass"])
def _(doc):
    pass


@case("lmcs.integrated-brief", "fail-social-care-only", ["lmcs.integrated-brief fail"],
      "CE: the lead member must be responsible for education too, not just social care.")
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = ["childrens_social_care", "early_help"]


@case("lmcs.integrated-brief", "fail-education-only", ["lmcs.integrated-brief fail"])
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = ["education", "send"]


@case("lmcs.integrated-brief", "not-recorded-portfolio-absent", [
    "lmcs.integrated-brief not_recorded", "lmcs.additional-functions-assured not_recorded"],
      "Edge 3: a member's portfolio left out is unknown.")
def _(doc):
    del member(doc, "cat-councillor")["portfolio"]


@case("lmcs.integrated-brief", "pass-merged-portfolios", ["lmcs.integrated-brief pass"],
      "Edge 6: portfolios from all the LMCS's entries are merged.")
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = ["education"]
    doc["members"].append({"person": "cat-councillor", "roles": ["cabinet_member"],
                           "portfolio": ["childrens_social_care"]})


@case("lmcs.integrated-brief", "fail-one-entry-records-portfolio", [
    "lmcs.integrated-brief fail"],
      """Edge 6: the portfolio is unknown only when no entry records one. One entry records
      [childrens_social_care], the other none: the merged portfolio lacks education.""")
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = ["childrens_social_care"]
    doc["members"].append({"person": "cat-councillor", "roles": ["committee_chair"]})


@case("lmcs.integrated-brief", "fail-must-departure-ignored", ["lmcs.integrated-brief fail"])
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = ["childrens_social_care"]
    departure(doc, "lmcs.integrated-brief")


# ---- dcs.reports-to-ceo (should) -----------------------------------------------------------

def _dcs_under_director(doc):
    add_person(doc, "pat-people", "Pat People")
    doc["posts"].insert(1, {"id": "exec-director-people", "title": "Executive Director, People",
                            "holder": "pat-people", "reports_to": "ceo",
                            "functions": ["adult_social_care", "housing"]})
    post(doc, "dcs")["reports_to"] = "exec-director-people"


@case("dcs.reports-to-ceo", "pass", ["dcs.reports-to-ceo pass"])
def _(doc):
    pass


@case("dcs.reports-to-ceo", "fail-second-tier", [
    "dcs.reports-to-ceo fail", "dcs.not-ceo pass", "dcs.operational-line pass"],
      "The DCS reports to an executive director, who reports to the chief executive.")
def _(doc):
    _dcs_under_director(doc)


@case("dcs.reports-to-ceo", "departure", ["dcs.reports-to-ceo departure"],
      "A should that fails, covered by a valid departure (agreed before as_of, review_by later).")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo")


@case("dcs.reports-to-ceo", "fail-departure-expired", ["dcs.reports-to-ceo fail"],
      "review_by (2017-06-29) is before as_of (2017-06-30): the departure has expired.")
def _(doc):
    _dcs_under_director(doc)
    expired_departure(doc, "dcs.reports-to-ceo")


@case("dcs.reports-to-ceo", "departure-review-by-on-as-of", ["dcs.reports-to-ceo departure"],
      "review_by on as_of still applies (absent or on/after as_of).")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo", review_by="2017-06-30")


@case("dcs.reports-to-ceo", "departure-agreed-on-as-of", ["dcs.reports-to-ceo departure"],
      "agreed_on on as_of applies (on or before as_of); no review_by means it does not expire.")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo", agreed_on="2017-06-30", review_by=None)


@case("dcs.reports-to-ceo", "fail-departure-agreed-after-as-of", ["dcs.reports-to-ceo fail"],
      "Edge 8/13: a departure agreed after as_of is not yet known.")
def _(doc):
    _dcs_under_director(doc)
    future_departure(doc, "dcs.reports-to-ceo")


@case("dcs.reports-to-ceo", "fail-departure-without-reason", ["dcs.reports-to-ceo fail"],
      "Edge 13: a departure applies only with a non-blank reason.")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo", reason=None)


@case("dcs.reports-to-ceo", "fail-departure-blank-reason", ["dcs.reports-to-ceo fail"],
      "Edge 13: a reason of only spaces is blank.")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo", reason="   ")


@case("dcs.reports-to-ceo", "fail-departure-without-agreed-on", ["dcs.reports-to-ceo fail"],
      "Edge 13: a departure applies only with agreed_on on or before as_of.")
def _(doc):
    _dcs_under_director(doc)
    departure(doc, "dcs.reports-to-ceo", agreed_on=None)


@case("dcs.reports-to-ceo", "departure-one-valid-among-expired", [
    "dcs.reports-to-ceo departure"],
      "Edge 13: one valid departure is enough, even beside an expired one.")
def _(doc):
    _dcs_under_director(doc)
    expired_departure(doc, "dcs.reports-to-ceo")
    departure(doc, "dcs.reports-to-ceo")


@case("dcs.reports-to-ceo", "pass-departure-on-passing-check", ["dcs.reports-to-ceo pass"],
      "Edge 13: a departure changes nothing on a check that is not fail.")
def _(doc):
    departure(doc, "dcs.reports-to-ceo")


@case("dcs.reports-to-ceo", "not-applicable-dcs-is-head-of-paid-service", [
    "dcs.reports-to-ceo not_applicable", "dcs.not-ceo fail",
    "dcs.additional-functions-assured fail"],
      """Edge 4: the DCS post itself carries head_of_paid_service: reports-to-ceo is
      not_applicable and dcs.not-ceo judges it (fails: no interim_until/recruitment).
      Edge 5: head_of_paid_service is another statutory role, and the current review's scope
      [dcs, lmcs] lacks it.""")
def _(doc):
    make_combined_ceo_dcs(doc)


@case("dcs.reports-to-ceo", "not-recorded-no-head-of-paid-service", [
    "dcs.reports-to-ceo not_recorded"],
      "Edge 4: no post carries head_of_paid_service.")
def _(doc):
    del post(doc, "ceo")["statutory_roles"]


@case("dcs.reports-to-ceo", "not-recorded-two-heads-of-paid-service", [
    "dcs.reports-to-ceo not_recorded"],
      "Edge 4: two posts carry head_of_paid_service; the DCS reports to one of them.")
def _(doc):
    add_person(doc, "jo-joint", "Jo Joint")
    doc["posts"].insert(1, {"id": "joint-chief-executive", "title": "Joint Chief Executive",
                            "holder": "jo-joint", "statutory_roles": ["head_of_paid_service"]})


@case("dcs.reports-to-ceo", "not-recorded-no-reports-to", [
    "dcs.reports-to-ceo not_recorded", "dcs.not-ceo pass"],
      "Edge 4: a DCS post with no reports_to that is not the head of paid service's post.")
def _(doc):
    del post(doc, "dcs")["reports_to"]


# ---- dcs.not-ceo (should) ------------------------------------------------------------------


@case("dcs.not-ceo", "pass", ["dcs.not-ceo pass"])
def _(doc):
    pass


@case("dcs.not-ceo", "fail-holder-also-holds-ceo-post", [
    "dcs.not-ceo fail", "dcs.reports-to-ceo pass", "dcs.additional-functions-assured fail"],
      """Two posts, one person: the DCS's holder also holds the chief executive's post.
      reports-to-ceo judges the post (first tier: passes). Edge 5: the holder's other post's
      head_of_paid_service is another statutory role; the review's scope lacks it.""")
def _(doc):
    make_dcs_holder_also_ceo(doc)


@case("dcs.not-ceo", "fail-combined-post", [
    "dcs.not-ceo fail", "dcs.reports-to-ceo not_applicable"],
      "The DCS post is the head of paid service's post.")
def _(doc):
    make_combined_ceo_dcs(doc)


@case("dcs.not-ceo", "pass-combined-post-temporary", [
    "dcs.not-ceo pass", "dcs.reports-to-ceo not_applicable"],
      "Temporary measure: interim_until after as_of and recruitment_active: true.")
def _(doc):
    make_combined_ceo_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-12-31"), recruitment_active=True)


@case("dcs.not-ceo", "pass-temporary-interim-until-on-as-of", ["dcs.not-ceo pass"],
      "interim_until on as_of still counts (on or after as_of).")
def _(doc):
    make_combined_ceo_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-06-30"), recruitment_active=True)


@case("dcs.not-ceo", "fail-temporary-interim-until-passed", ["dcs.not-ceo fail"],
      "interim_until the day before as_of: the temporary measure has ended.")
def _(doc):
    make_combined_ceo_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-06-29"), recruitment_active=True)


@case("dcs.not-ceo", "fail-temporary-recruitment-not-active", ["dcs.not-ceo fail"])
def _(doc):
    make_combined_ceo_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-12-31"), recruitment_active=False)


@case("dcs.not-ceo", "fail-temporary-recruitment-not-recorded", ["dcs.not-ceo fail"],
      """The condition asks for recruitment_active: true; left out, that part is not met
      (optional facts: a fact asked to be true, left out, fails).""")
def _(doc):
    make_combined_ceo_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-12-31"))


@case("dcs.not-ceo", "departure", ["dcs.not-ceo departure"])
def _(doc):
    make_combined_ceo_dcs(doc)
    departure(doc, "dcs.not-ceo")


@case("dcs.not-ceo", "fail-departure-expired", ["dcs.not-ceo fail"])
def _(doc):
    make_combined_ceo_dcs(doc)
    expired_departure(doc, "dcs.not-ceo")


@case("dcs.not-ceo", "not-recorded-vacant-dcs-post", ["dcs.not-ceo not_recorded"],
      "Edge 2: dcs.not-ceo needs the holder.")
def _(doc):
    vacate_dcs(doc)


@case("dcs.not-ceo", "fail-vacant-combined-post", [
    "dcs.not-ceo fail", "dcs.appointed fail", "dcs.reports-to-ceo not_applicable"],
      """Edge 2: the vacant DCS post itself carries head_of_paid_service, so the post alone
      decides (edge 1): no temporary measure is recorded, so it fails.""")
def _(doc):
    make_combined_ceo_dcs(doc)
    vacate_dcs(doc)


@case("dcs.not-ceo", "pass-vacant-combined-post-temporary", [
    "dcs.not-ceo pass", "dcs.appointed fail"],
      """Edge 2: the vacant DCS post carries head_of_paid_service; judged on the post, it
      passes under the interim exception (interim_until after as_of, recruitment_active).""")
def _(doc):
    make_combined_ceo_dcs(doc)
    vacate_dcs(doc)
    post(doc, "dcs").update(interim_until=D("2017-12-31"), recruitment_active=True)


@case("dcs.not-ceo", "pass-ceo-post-vacant", ["dcs.not-ceo pass", "dcs.reports-to-ceo pass"],
      "The chief executive's post is vacant: the DCS's holder does not hold it.")
def _(doc):
    remove_person(doc, "chris-chief")


# ---- dcs.politically-restricted (must) -----------------------------------------------------


@case("dcs.politically-restricted", "pass", ["dcs.politically-restricted pass"])
def _(doc):
    pass


@case("dcs.politically-restricted", "fail-holder-elected", ["dcs.politically-restricted fail"])
def _(doc):
    person(doc, "alex-director")["elected_member"] = True


@case("dcs.politically-restricted", "fail-must-departure-ignored", [
    "dcs.politically-restricted fail"])
def _(doc):
    person(doc, "alex-director")["elected_member"] = True
    departure(doc, "dcs.politically-restricted")


@case("dcs.politically-restricted", "not-recorded-vacant-dcs-post", [
    "dcs.politically-restricted not_recorded"], "Edge 2.")
def _(doc):
    vacate_dcs(doc)


# ---- lmcs.executive-member (should) --------------------------------------------------------


@case("lmcs.executive-member", "pass", ["lmcs.executive-member pass"])
def _(doc):
    pass


@case("lmcs.executive-member", "pass-leader", ["lmcs.executive-member pass"])
def _(doc):
    member(doc, "cat-councillor")["roles"] = ["leader"]
    member(doc, "lee-leader")["roles"] = ["cabinet_member"]


@case("lmcs.executive-member", "pass-mayor", ["lmcs.executive-member pass"])
def _(doc):
    doc["authority"]["governance"] = "mayor_cabinet"
    member(doc, "cat-councillor")["roles"] = ["mayor"]
    member(doc, "lee-leader")["roles"] = ["cabinet_member"]


@case("lmcs.executive-member", "fail-committee-chair", ["lmcs.executive-member fail"])
def _(doc):
    member(doc, "cat-councillor")["roles"] = ["committee_chair"]


@case("lmcs.executive-member", "not-applicable-committee-governance", [
    "lmcs.executive-member not_applicable", "lmcs.designated pass",
    "assurance.agreed-within-council pass"],
      "Footnote 2: under governance: committee the check does not apply.")
def _(doc):
    doc["authority"]["governance"] = "committee"
    member(doc, "cat-councillor")["roles"] = ["committee_chair"]
    cab = body(doc, "cabinet")
    cab.update(id="policy-committee", name="Policy and Resources Committee", kind="other")
    review(doc)["approved_by"] = "policy-committee"


@case("lmcs.executive-member", "departure", ["lmcs.executive-member departure"])
def _(doc):
    member(doc, "cat-councillor")["roles"] = ["committee_chair"]
    departure(doc, "lmcs.executive-member")


@case("lmcs.executive-member", "fail-departure-expired", ["lmcs.executive-member fail"])
def _(doc):
    member(doc, "cat-councillor")["roles"] = ["committee_chair"]
    expired_departure(doc, "lmcs.executive-member")


@case("lmcs.executive-member", "pass-roles-merged-from-entries", ["lmcs.executive-member pass"],
      "Edge 6: the designated entry is committee_chair; another entry makes them cabinet_member.")
def _(doc):
    m = member(doc, "cat-councillor")
    m["roles"] = ["committee_chair"]
    doc["members"].append({"person": "cat-councillor", "roles": ["cabinet_member"]})


# ---- dcs.additional-functions-assured (should) ---------------------------------------------
F = "dcs.additional-functions-assured"


@case(F, "not-applicable", [F + " not_applicable"],
      "Children's functions only, no other statutory role, holder holds no other post.")
def _(doc):
    pass


@case(F, "pass-dass-in-scope", [F + " pass"],
      "A twin-hatter DCS/DASS post assured by a current review scoped [dcs, dass, lmcs].")
def _(doc):
    add_dass(doc)
    review(doc)["scope"] = ["dcs", "dass", "lmcs"]


@case(F, "fail-dass-not-in-scope", [F + " fail"],
      "The current review's scope [dcs, lmcs] lacks the post's other statutory role dass.")
def _(doc):
    add_dass(doc)


@case(F, "pass-housing-function", [F + " pass"],
      "An additional function (housing) and no other statutory role: scope needs only dcs.")
def _(doc):
    post(doc, "dcs")["functions"] = ["education", "childrens_social_care", "housing"]


@case(F, "fail-other-function-scope-lacks-dcs", [F + " fail"],
      "`other` is an additional function; the only current review assured the LMCS only.")
def _(doc):
    post(doc, "dcs")["functions"] = ["education", "childrens_social_care", "other"]
    review(doc)["scope"] = ["lmcs"]


@case(F, "fail-review-stale-by-age", [F + " fail", "assurance.review-current fail"],
      "The only review, scoped correctly, is 13 months old.")
def _(doc):
    add_dass(doc)
    set_reviews(doc, lat("review-2016-05", "2016-05-31", scope=["dcs", "dass", "lmcs"]))


@case(F, "fail-review-stale-by-change", [F + " fail", "assurance.review-current fail"],
      "A restructure dated after the review makes it stale.")
def _(doc):
    add_dass(doc)
    review(doc)["scope"] = ["dcs", "dass", "lmcs"]
    add_change(doc, "2017-04-10", "restructure", "Adult and children's services merged")


@case(F, "pass-older-current-review-in-scope", [F + " pass", "assurance.review-current pass"],
      """Edge 7: any current review counts, not only the latest. The older one (still current)
      assured dcs and dass; the latest assured the LMCS only.""")
def _(doc):
    add_dass(doc)
    set_reviews(doc, lat("review-2016-09", "2016-09-01", scope=["dcs", "dass"]),
                lat("review-2017-03", "2017-03-01", scope=["lmcs"]))


@case(F, "fail-review-after-as-of-ignored", [F + " fail"],
      "Edge 8: the review that adds dass is dated after as_of and is ignored.")
def _(doc):
    add_dass(doc)
    doc["assurance"]["reviews"].append(
        lat("review-2017-08", "2017-08-01", scope=["dcs", "dass", "lmcs"]))


@case(F, "fail-ofsted-inspection-does-not-count", [F + " fail"],
      "An ofsted_inspection never counts, even if it names dcs and dass.")
def _(doc):
    add_dass(doc)
    doc["assurance"]["reviews"].append(
        {"id": "ofsted-2017-05", "date": D("2017-05-10"), "kind": "ofsted_inspection",
         "scope": ["dcs", "dass"]})


@case(F, "fail-holder-also-holds-dph-post", [
    F + " fail", "partnership.dph-appointed pass", "dcs.not-ceo pass"],
      """Edge 5: the DCS's holder also holds the dph post; the review's scope lacks dph.""")
def _(doc):
    remove_person(doc, "dana-health")
    post(doc, "dph")["holder"] = "alex-director"


@case(F, "pass-holder-also-holds-dph-post-in-scope", [F + " pass"])
def _(doc):
    remove_person(doc, "dana-health")
    post(doc, "dph")["holder"] = "alex-director"
    review(doc)["scope"] = ["dcs", "dph", "lmcs"]


@case(F, "pass-holder-also-ceo-in-scope", [F + " pass", "dcs.not-ceo fail"],
      "Edge 5: head_of_paid_service included; here the review assured it.")
def _(doc):
    make_dcs_holder_also_ceo(doc)
    review(doc)["scope"] = ["dcs", "head_of_paid_service", "lmcs"]


@case(F, "not-recorded-functions-absent", [F + " not_recorded"],
      """The post's functions are unknown and nothing else makes the check apply, so whether
      it applies cannot be decided.""")
def _(doc):
    del post(doc, "dcs")["functions"]


@case(F, "fail-functions-absent-dass-not-in-scope", [F + " fail"],
      """Edge 1: functions unknown, but the post carries dass, so the check applies whatever
      the functions are, and the scope [dcs, lmcs] lacks dass.""")
def _(doc):
    add_dass(doc)
    del post(doc, "dcs")["functions"]


@case(F, "pass-functions-absent-dass-in-scope", [F + " pass"],
      "Edge 1: applies because of dass; the review assured dcs and dass.")
def _(doc):
    add_dass(doc)
    del post(doc, "dcs")["functions"]
    review(doc)["scope"] = ["dcs", "dass", "lmcs"]


@case(F, "departure", [F + " departure"])
def _(doc):
    add_dass(doc)
    departure(doc, F)


@case(F, "fail-departure-agreed-after-as-of", [F + " fail"])
def _(doc):
    add_dass(doc)
    future_departure(doc, F)


@case(F, "fail-departure-expired", [F + " fail"],
      "The contract's own example: deferred until 2017-04-01, expired by as_of.")
def _(doc):
    add_dass(doc)
    departure(doc, F, reason="Re-assurance deferred until the restructure has settled",
              agreed_on="2016-11-01", review_by="2017-04-01")


# ---- lmcs.additional-functions-assured (should) --------------------------------------------
L = "lmcs.additional-functions-assured"


def _lmcs_adults(doc):
    member(doc, "cat-councillor")["portfolio"] = ["education", "childrens_social_care",
                                                 "adult_social_care"]


@case(L, "not-applicable", [L + " not_applicable"])
def _(doc):
    pass


@case(L, "not-applicable-childrens-functions-only", [L + " not_applicable"],
      "A wide portfolio, but every function is within children's services.")
def _(doc):
    member(doc, "cat-councillor")["portfolio"] = [
        "education", "childrens_social_care", "send", "early_years", "early_help",
        "youth_justice", "school_transport", "school_admissions", "youth_services"]


@case(L, "pass-adults-in-portfolio", [L + " pass"])
def _(doc):
    _lmcs_adults(doc)


@case(L, "fail-scope-lacks-lmcs", [L + " fail"])
def _(doc):
    _lmcs_adults(doc)
    review(doc)["scope"] = ["dcs"]


@case(L, "fail-review-exactly-twelve-months-old", [L + " fail", "assurance.review-current fail"],
      "Edge 7: a review exactly review_interval_months old is stale.")
def _(doc):
    _lmcs_adults(doc)
    set_reviews(doc, lat("review-2016-06", "2016-06-30"))


@case(L, "fail-merged-portfolio-has-housing", [L + " fail"],
      "Edge 6: housing comes from the LMCS's second entry; the review assured dcs only.")
def _(doc):
    doc["members"].append({"person": "cat-councillor", "roles": ["cabinet_member"],
                           "portfolio": ["housing"]})
    review(doc)["scope"] = ["dcs"]


@case(L, "not-recorded-portfolio-absent", [L + " not_recorded"])
def _(doc):
    del member(doc, "cat-councillor")["portfolio"]


@case(L, "departure", [L + " departure"])
def _(doc):
    _lmcs_adults(doc)
    review(doc)["scope"] = ["dcs"]
    departure(doc, L)


@case(L, "fail-departure-expired", [L + " fail"])
def _(doc):
    _lmcs_adults(doc)
    review(doc)["scope"] = ["dcs"]
    expired_departure(doc, L)


# ---- dcs.joint-appointment-assured (should) ------------------------------------------------
J = "dcs.joint-appointment-assured"


@case(J, "not-applicable", [J + " not_applicable"])
def _(doc):
    pass


@case(J, "not-applicable-empty-shared-with", [J + " not_applicable"])
def _(doc):
    post(doc, "dcs")["shared_with"] = []


@case(J, "pass-shared-in-scope", [J + " pass"])
def _(doc):
    post(doc, "dcs")["shared_with"] = ["neighbour-county"]


@case(J, "fail-scope-lacks-dcs", [J + " fail"])
def _(doc):
    post(doc, "dcs")["shared_with"] = ["neighbour-county", "other-unitary"]
    review(doc)["scope"] = ["lmcs"]


@case(J, "fail-review-stale-by-change", [J + " fail", "assurance.review-current fail"],
      "The joint appointment itself was recorded as a change after the last review.")
def _(doc):
    post(doc, "dcs")["shared_with"] = ["neighbour-county"]
    add_change(doc, "2017-05-02", "appointment", "Joint DCS appointed with Neighbour County")


@case(J, "pass-vacant-shared-post", [J + " pass", "dcs.appointed fail"],
      "Edge 2: sharing is judged on the post, vacant or not.")
def _(doc):
    vacate_dcs(doc)
    post(doc, "dcs")["shared_with"] = ["neighbour-county"]


@case(J, "departure", [J + " departure"])
def _(doc):
    post(doc, "dcs")["shared_with"] = ["neighbour-county"]
    review(doc)["scope"] = ["lmcs"]
    departure(doc, J)


@case(J, "fail-departure-agreed-after-as-of", [J + " fail"])
def _(doc):
    post(doc, "dcs")["shared_with"] = ["neighbour-county"]
    review(doc)["scope"] = ["lmcs"]
    future_departure(doc, J)


# ---- assurance.review-current (should) -----------------------------------------------------
R = "assurance.review-current"
LATEST_NR = ["assurance.agreed-within-council not_recorded",
             "assurance.self-and-peer not_recorded", "assurance.essential-elements not_recorded"]
LATEST_PASS = ["assurance.agreed-within-council pass", "assurance.self-and-peer pass",
               "assurance.essential-elements pass"]


@case(R, "pass", [R + " pass"])
def _(doc):
    pass


@case(R, "fail-no-reviews", [R + " fail"] + LATEST_NR,
      "No review at all: the checks about the latest review are not_recorded.")
def _(doc):
    del doc["assurance"]["reviews"]


@case(R, "fail-exactly-twelve-months-old", [R + " fail"] + LATEST_PASS,
      """Edge 7: 2016-06-30 + 12 months = 2017-06-30 = as_of: stale. The latest-review checks
      do not ask for currency and still pass.""")
def _(doc):
    set_reviews(doc, lat("review-2016-06", "2016-06-30"))


@case(R, "pass-one-day-short-of-twelve-months", [R + " pass"])
def _(doc):
    set_reviews(doc, lat("review-2016-07", "2016-07-01"))


@case(R, "pass-month-end-clamped-day-before", [R + " pass"],
      """Edge 7: 2017-01-31 + 1 month is clamped to 2017-02-28; as_of 2017-02-27 is earlier.""")
def _(doc):
    set_as_of(doc, "2017-02-27")
    doc["assurance"]["review_interval_months"] = 1
    set_reviews(doc, lat("review-2017-01", "2017-01-31", approved_on="2017-02-07"))


@case(R, "fail-month-end-clamped-on-the-day", [R + " fail"],
      """Edge 7: 2017-01-31 + 1 month is clamped to 2017-02-28 = as_of: stale (without
      clamping the review would wrongly look current until March).""")
def _(doc):
    set_as_of(doc, "2017-02-28")
    doc["assurance"]["review_interval_months"] = 1
    set_reviews(doc, lat("review-2017-01", "2017-01-31", approved_on="2017-02-07"))


@case(R, "pass-month-end-clamped-leap-year", [R + " pass"],
      "Edge 7: 2016-01-31 + 1 month = 2016-02-29 (leap year); as_of 2016-02-28 is earlier.")
def _(doc):
    set_as_of(doc, "2016-02-28")
    doc["assurance"]["review_interval_months"] = 1
    set_reviews(doc, lat("review-2016-01", "2016-01-31", approved_on="2016-02-07"))
    del doc["assurance"]["changes"][0]


@case(R, "fail-month-end-clamped-leap-year", [R + " fail"],
      "Edge 7: 2016-01-31 + 1 month = 2016-02-29 = as_of: stale.")
def _(doc):
    set_as_of(doc, "2016-02-29")
    doc["assurance"]["review_interval_months"] = 1
    set_reviews(doc, lat("review-2016-01", "2016-01-31", approved_on="2016-02-07"))
    del doc["assurance"]["changes"][0]


@case(R, "fail-29-february-plus-twelve-months", [R + " fail"],
      "Edge 7: 2016-02-29 + 12 months is clamped to 2017-02-28 = as_of: stale.")
def _(doc):
    set_as_of(doc, "2017-02-28")
    set_reviews(doc, lat("review-2016-02", "2016-02-29"))


@case(R, "pass-interval-24-months", [R + " pass"],
      "review_interval_months: 24; the review is 20 months old.")
def _(doc):
    doc["assurance"]["review_interval_months"] = 24
    set_reviews(doc, lat("review-2015-11", "2015-11-01"))


@case(R, "fail-interval-6-months", [R + " fail"],
      "review_interval_months: 6; the review is 7 months old.")
def _(doc):
    doc["assurance"]["review_interval_months"] = 6
    set_reviews(doc, lat("review-2016-12", "2016-12-01"))


@case(R, "pass-change-same-day-as-review", [R + " pass"],
      "Edge 7: only a change dated strictly after the review makes it stale.")
def _(doc):
    add_change(doc, "2017-03-01", "appointment", "Head of safeguarding appointed")


@case(R, "fail-change-day-after-review", [R + " fail"] + LATEST_PASS)
def _(doc):
    add_change(doc, "2017-03-02", "appointment", "Head of safeguarding appointed")


@case(R, "pass-appointment-to-post-without-statutory-role",
      [R + " pass", "dcs.additional-functions-assured not_applicable"],
      """Edge 7: an appointment after the review that lists only a post carrying no
      statutory role (a Head of Virtual School) does not bear on the statutory roles.""")
def _(doc):
    add_virtual_school_head(doc)
    add_change(doc, "2017-04-03", "appointment", "Head of Virtual School appointed",
               posts=["head-of-virtual-school"])


@case(R, "pass-vacancy-and-interim-of-posts-without-statutory-role", [R + " pass"],
      "Edge 7: a vacancy and an interim, each listing only posts with no statutory role.")
def _(doc):
    add_virtual_school_head(doc)
    add_change(doc, "2017-04-01", "vacancy", "Head of Safeguarding left",
               posts=["head-of-safeguarding"])
    add_change(doc, "2017-04-10", "interim", "Interim Head of Safeguarding and Virtual School",
               posts=["head-of-safeguarding", "head-of-virtual-school"])


@case(R, "fail-appointment-listing-the-dcs-post", [R + " fail"] + LATEST_PASS,
      "Edge 7: an appointment that lists a post carrying a statutory role bears on them.")
def _(doc):
    add_change(doc, "2017-04-03", "appointment", "Director of Children's Services appointed",
               posts=["dcs"])


@case(R, "fail-appointment-listing-one-statutory-post-among-others", [R + " fail"],
      "Edge 7: one listed post carries a statutory role (dph), so the change bears on them.")
def _(doc):
    add_virtual_school_head(doc)
    add_change(doc, "2017-04-03", "appointment", "Senior appointments",
               posts=["head-of-virtual-school", "dph"])


@case(R, "fail-restructure-listing-posts-without-statutory-role", [R + " fail"],
      "Edge 7: only appointments, interims and vacancies are excused; a restructure bears.")
def _(doc):
    add_virtual_school_head(doc)
    add_change(doc, "2017-04-03", "restructure", "Virtual school restructured",
               posts=["head-of-virtual-school"])


@case(R, "pass-change-after-as-of-ignored", [R + " pass"],
      "Edge 8: a change dated after as_of is ignored.")
def _(doc):
    add_change(doc, "2017-07-15", "restructure", "Planned restructure")


@case(R, "fail-only-review-after-as-of", [R + " fail"] + LATEST_NR,
      "Edge 8: the only review is dated after as_of, so there is no review at as_of.")
def _(doc):
    set_reviews(doc, lat("review-2017-07", "2017-07-10"))


@case(R, "fail-only-ofsted-inspection", [R + " fail"] + LATEST_NR,
      "An ofsted_inspection never counts: no review of the authority's own.")
def _(doc):
    set_reviews(doc, lat("ofsted-2017-05", "2017-05-01", kind="ofsted_inspection"))


@case(R, "pass-peer-review-kind", [R + " pass"], "Any kind but ofsted_inspection counts.")
def _(doc):
    review(doc)["kind"] = "peer_review"


@case(R, "pass-review-dated-on-as-of", [R + " pass"],
      "A review dated on as_of is not after it.")
def _(doc):
    set_reviews(doc, lat("review-2017-06", "2017-06-30", approved_on="2017-06-30"))


@case(R, "departure", [R + " departure"] + LATEST_NR)
def _(doc):
    del doc["assurance"]["reviews"]
    departure(doc, R)


@case(R, "fail-departure-expired", [R + " fail"])
def _(doc):
    set_reviews(doc, lat("review-2016-06", "2016-06-30"))
    expired_departure(doc, R)


# ---- assurance.agreed-within-council (should) ----------------------------------------------
A = "assurance.agreed-within-council"


@case(A, "pass", [A + " pass"])
def _(doc):
    pass


@case(A, "fail-approved-by-absent", [A + " fail"])
def _(doc):
    del review(doc)["approved_by"]


@case(A, "fail-approved-on-absent", [A + " fail"])
def _(doc):
    del review(doc)["approved_on"]


@case(A, "pass-approved-on-after-as-of", [A + " pass"],
      "Edge 8: approved_on is taken as recorded, even after as_of.")
def _(doc):
    review(doc)["approved_on"] = D("2017-07-12")


@case(A, "fail-same-date-later-in-file-unapproved", [A + " fail"],
      "Edge 7: two reviews share the latest date; the later in the file is the latest.")
def _(doc):
    r2 = lat("review-2017-03-b", "2017-03-01", kind="self_assessment")
    del r2["approved_by"], r2["approved_on"]
    doc["assurance"]["reviews"].append(r2)


@case(A, "pass-same-date-later-in-file-approved", [A + " pass"])
def _(doc):
    r0 = lat("review-2017-03-a", "2017-03-01", kind="self_assessment")
    del r0["approved_by"], r0["approved_on"]
    doc["assurance"]["reviews"].insert(0, r0)


@case(A, "fail-latest-by-date-not-file-order", [A + " fail"],
      "The latest review is the one with the latest date, wherever it sits in the file.")
def _(doc):
    r = review(doc)
    del r["approved_by"], r["approved_on"]
    doc["assurance"]["reviews"].append(lat("review-2016-09", "2016-09-01"))


@case(A, "pass-later-ofsted-inspection-ignored", [A + " pass"])
def _(doc):
    doc["assurance"]["reviews"].append(
        {"id": "ofsted-2017-05", "date": D("2017-05-10"), "kind": "ofsted_inspection"})


@case(A, "pass-review-after-as-of-ignored", [A + " pass"])
def _(doc):
    r = lat("review-2017-08", "2017-08-01")
    del r["approved_by"], r["approved_on"]
    doc["assurance"]["reviews"].append(r)


@case(A, "departure", [A + " departure"])
def _(doc):
    del review(doc)["approved_by"]
    departure(doc, A)


@case(A, "fail-departure-expired", [A + " fail"])
def _(doc):
    del review(doc)["approved_by"]
    expired_departure(doc, A)


# ---- assurance.self-and-peer (should) ------------------------------------------------------
S = "assurance.self-and-peer"


@case(S, "pass", [S + " pass"])
def _(doc):
    pass


@case(S, "fail-not-peer-challenged", [S + " fail"])
def _(doc):
    review(doc)["peer_challenged"] = False


@case(S, "fail-peer-challenged-absent", [S + " fail"],
      "Optional facts: peer_challenged: true is asked for; left out, fail.")
def _(doc):
    del review(doc)["peer_challenged"]


@case(S, "fail-not-self-assessed", [S + " fail"])
def _(doc):
    review(doc)["self_assessed"] = False


@case(S, "fail-self-assessed-absent", [S + " fail"])
def _(doc):
    del review(doc)["self_assessed"]


@case(S, "fail-same-date-later-in-file-not-peer-challenged", [S + " fail"])
def _(doc):
    doc["assurance"]["reviews"].append(
        lat("review-2017-03-b", "2017-03-01", kind="audit", peer_challenged=False))


@case(S, "pass-older-review-not-peer-challenged", [S + " pass"],
      "Only the latest review is judged.")
def _(doc):
    doc["assurance"]["reviews"].insert(
        0, lat("review-2016-09", "2016-09-01", kind="audit", peer_challenged=False))


@case(S, "departure", [S + " departure"])
def _(doc):
    review(doc)["peer_challenged"] = False
    departure(doc, S)


@case(S, "fail-departure-agreed-after-as-of", [S + " fail"])
def _(doc):
    review(doc)["peer_challenged"] = False
    future_departure(doc, S)


# ---- assurance.essential-elements (should) -------------------------------------------------
EL = "assurance.essential-elements"


@case(EL, "pass", [EL + " pass"])
def _(doc):
    pass


@case(EL, "fail-children-voice-missing", [EL + " fail"])
def _(doc):
    review(doc)["elements"] = [e for e in SIX if e != "children_voice"]


@case(EL, "fail-elements-absent", [EL + " fail"],
      "An absent list is empty: none of the six.")
def _(doc):
    del review(doc)["elements"]


@case(EL, "fail-latest-review-incomplete", [EL + " fail"],
      "An older review covered all six; the latest lacks partnerships.")
def _(doc):
    review(doc)["elements"] = [e for e in SIX if e != "partnerships"]
    doc["assurance"]["reviews"].insert(0, lat("review-2016-09", "2016-09-01"))


@case(EL, "pass-later-ofsted-inspection-ignored", [EL + " pass"])
def _(doc):
    doc["assurance"]["reviews"].append(
        {"id": "ofsted-2017-05", "date": D("2017-05-10"), "kind": "ofsted_inspection",
         "elements": ["child_protection"]})


@case(EL, "departure", [EL + " departure"])
def _(doc):
    review(doc)["elements"] = ["senior_management", "accountability", "child_protection"]
    departure(doc, EL)


@case(EL, "fail-departure-expired", [EL + " fail"])
def _(doc):
    review(doc)["elements"] = ["senior_management", "accountability", "child_protection"]
    expired_departure(doc, EL)


# ---- assurance.transparency (should) -------------------------------------------------------
T = "assurance.transparency"


@case(T, "pass", [T + " pass"])
def _(doc):
    pass


@case(T, "fail-not-published", [T + " fail"])
def _(doc):
    del doc["assurance"]["published"]


@case(T, "fail-published-on-absent", [T + " fail"])
def _(doc):
    del doc["assurance"]["published"]["on"]


@case(T, "fail-published-before-dcs-appointed", [T + " fail"])
def _(doc):
    person(doc, "alex-director")["appointed"] = D("2017-04-01")


@case(T, "fail-published-before-lmcs-appointed", [T + " fail"])
def _(doc):
    person(doc, "cat-councillor")["appointed"] = D("2017-05-01")


@case(T, "pass-published-on-the-day-of-appointment", [T + " pass"],
      "Not earlier than: the same day passes.")
def _(doc):
    person(doc, "alex-director")["appointed"] = D("2017-03-20")


@case(T, "pass-no-appointed-dates", [T + " pass", "dcs.due-diligence not_recorded"],
      """Edge 12: transparency skips a role with no appointed date (it passes on published.on
      alone), while dcs.due-diligence needs appointed to compare against: not_recorded.""")
def _(doc):
    del person(doc, "alex-director")["appointed"]
    del person(doc, "cat-councillor")["appointed"]


@case(T, "pass-published-after-as-of", [T + " pass"],
      "Edge 8: published.on is taken as recorded.")
def _(doc):
    doc["assurance"]["published"]["on"] = D("2017-07-15")


@case(T, "departure", [T + " departure"])
def _(doc):
    person(doc, "cat-councillor")["appointed"] = D("2017-05-01")
    departure(doc, T)


@case(T, "fail-departure-expired", [T + " fail"])
def _(doc):
    del doc["assurance"]["published"]
    expired_departure(doc, T)


# ---- safeguarding.dcs-member (should) ------------------------------------------------------
SD = "safeguarding.dcs-member"


@case(SD, "pass", [SD + " pass"])
def _(doc):
    pass


@case(SD, "fail-participating-observer-only", [SD + " fail"])
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "alex-director")["role"] = "participating_observer"


@case(SD, "fail-not-seated", [SD + " fail", "hwb.dcs-member pass"],
      "The DCS sits on the health and wellbeing board only.")
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "alex-director")


@case(SD, "fail-no-safeguarding-body", [
    SD + " fail", "safeguarding.lmcs-observer fail",
    "safeguarding.chair-appointed-by-ceo not_applicable"])
def _(doc):
    remove_body(doc, "safeguarding-partnership")


@case(SD, "pass-lscb-member", [SD + " pass", "safeguarding.chair-appointed-by-ceo pass"])
def _(doc):
    make_lscb(doc)


@case(SD, "pass-chair-of-partnership", [SD + " pass"],
      "Edge 9: the body's chair field gives a seat with role chair.")
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "alex-director")
    b = body(doc, "safeguarding-partnership")
    members = b.pop("members")
    b["chair"] = "alex-director"
    b["members"] = members


@case(SD, "pass-several-bodies-member-on-one", [SD + " pass"],
      "Edge 9: observer on the partnership, member of an LSCB: a seat on at least one.")
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "alex-director")["role"] = "participating_observer"
    add_lscb(doc, seats=[("alex-director", "member")])


@case(SD, "pass-delegated-partner", [SD + " pass"])
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "alex-director")["role"] = "delegated_partner"


@case(SD, "not-recorded-vacant-dcs-post", [SD + " not_recorded"])
def _(doc):
    vacate_dcs(doc)


@case(SD, "departure", [SD + " departure"])
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "alex-director")
    departure(doc, SD)


@case(SD, "fail-departure-expired", [SD + " fail"])
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "alex-director")
    expired_departure(doc, SD)


# ---- safeguarding.lmcs-observer (should) ---------------------------------------------------
SL = "safeguarding.lmcs-observer"


@case(SL, "pass", [SL + " pass"])
def _(doc):
    pass


@case(SL, "fail-decision-making-member", [SL + " fail"])
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "cat-councillor")["role"] = "member"


@case(SL, "fail-no-seat", [SL + " fail"])
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "cat-councillor")


@case(SL, "fail-observer-on-one-member-of-another", [SL + " fail"],
      "Edge 9: observer on one body and in no other role on any; here a member of the LSCB.")
def _(doc):
    add_lscb(doc, seats=[("alex-director", "member"), ("cat-councillor", "member")])


@case(SL, "pass-observer-on-one-absent-from-other", [SL + " pass"])
def _(doc):
    add_lscb(doc, seats=[("alex-director", "member")])


@case(SL, "fail-lmcs-chairs-the-partnership", [SL + " fail"],
      "Edge 9: the chair field is a seat with role chair, beside the observer seat.")
def _(doc):
    b = body(doc, "safeguarding-partnership")
    members = b.pop("members")
    b["chair"] = "cat-councillor"
    b["members"] = members


@case(SL, "fail-observer-on-another-kind-of-body", [SL + " fail"],
      "Observer on the health and wellbeing board, not seated on the safeguarding body.")
def _(doc):
    remove_seat(doc, "safeguarding-partnership", "cat-councillor")
    find(body(doc, "health-and-wellbeing-board")["members"], "who",
         "cat-councillor")["role"] = "participating_observer"


@case(SL, "not-recorded-no-lmcs", [SL + " not_recorded"])
def _(doc):
    del member(doc, "cat-councillor")["designations"]


@case(SL, "departure", [SL + " departure"])
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "cat-councillor")["role"] = "member"
    departure(doc, SL)


@case(SL, "fail-departure-agreed-after-as-of", [SL + " fail"])
def _(doc):
    find(body(doc, "safeguarding-partnership")["members"], "who",
         "cat-councillor")["role"] = "member"
    future_departure(doc, SL)


# ---- safeguarding.chair-appointed-by-ceo (should) ------------------------------------------
C = "safeguarding.chair-appointed-by-ceo"


@case(C, "not-applicable-partnership-only", [C + " not_applicable"])
def _(doc):
    pass


@case(C, "not-applicable-no-safeguarding-body", [C + " not_applicable"],
      "Edge 9: not_applicable when there is no lscb.")
def _(doc):
    remove_body(doc, "safeguarding-partnership")


@case(C, "pass-lscb-chair-appointed-by-ceo", [C + " pass"])
def _(doc):
    make_lscb(doc)


@case(C, "fail-appointed-by-dcs-post", [C + " fail"])
def _(doc):
    make_lscb(doc, appointed_by="dcs")


@case(C, "fail-chair-appointed-by-absent", [C + " fail"], "Edge 9: absent fails.")
def _(doc):
    make_lscb(doc, appointed_by=None)


@case(C, "fail-two-lscbs-one-unrecorded", [C + " fail"], "Edge 9: every lscb.")
def _(doc):
    make_lscb(doc)
    add_lscb(doc, bid="lscb-west", appointed_by=None)


@case(C, "pass-two-lscbs-both-by-ceo", [C + " pass"])
def _(doc):
    make_lscb(doc)
    add_lscb(doc, bid="lscb-west")


@case(C, "pass-lscb-beside-partnership", [C + " pass"])
def _(doc):
    add_lscb(doc)


@case(C, "not-recorded-no-head-of-paid-service", [C + " not_recorded"],
      "Edge 4: chair_appointed_by names a post, but no post carries head_of_paid_service.")
def _(doc):
    make_lscb(doc)
    del post(doc, "ceo")["statutory_roles"]


@case(C, "departure", [C + " departure"])
def _(doc):
    make_lscb(doc, appointed_by="dcs")
    departure(doc, C)


@case(C, "fail-departure-expired", [C + " fail"])
def _(doc):
    make_lscb(doc, appointed_by="dcs")
    expired_departure(doc, C)


# ---- hwb.dcs-member (must) -----------------------------------------------------------------
H = "hwb.dcs-member"


@case(H, "pass", [H + " pass"])
def _(doc):
    pass


@case(H, "fail-no-board", [H + " fail"])
def _(doc):
    remove_body(doc, "health-and-wellbeing-board")


@case(H, "fail-dcs-not-on-board", [H + " fail"])
def _(doc):
    remove_seat(doc, "health-and-wellbeing-board", "alex-director")


@case(H, "pass-dcs-chairs-board", [H + " pass"], "Edge 9: the chair field is a seat.")
def _(doc):
    remove_seat(doc, "health-and-wellbeing-board", "alex-director")
    body(doc, "health-and-wellbeing-board")["chair"] = "alex-director"


@case(H, "pass-dcs-participating-observer", [H + " pass"], "Edge 9: any seat counts.")
def _(doc):
    find(body(doc, "health-and-wellbeing-board")["members"], "who",
         "alex-director")["role"] = "participating_observer"


@case(H, "fail-no-board-and-no-dcs", [H + " fail", "dcs.appointed fail"],
      "Edge 1: no board at all fails even when there is no DCS.")
def _(doc):
    remove_body(doc, "health-and-wellbeing-board")
    del post(doc, "dcs")["statutory_roles"]


@case(H, "not-recorded-vacant-dcs-post", [H + " not_recorded"],
      "A board exists; whether the DCS sits on it hinges on the missing holder.")
def _(doc):
    vacate_dcs(doc)


@case(H, "fail-must-departure-ignored", [H + " fail"])
def _(doc):
    remove_seat(doc, "health-and-wellbeing-board", "alex-director")
    departure(doc, H)


# ---- partnership.dph-appointed (must) ------------------------------------------------------
P = "partnership.dph-appointed"


@case(P, "pass", [P + " pass"])
def _(doc):
    pass


@case(P, "fail-dph-post-vacant", [P + " fail"])
def _(doc):
    remove_person(doc, "dana-health")


@case(P, "fail-no-dph-post", [P + " fail"])
def _(doc):
    del post(doc, "dph")["statutory_roles"]


@case(P, "pass-two-dph-posts-one-held", [P + " pass"], "Edge 14: any dph post with a holder.")
def _(doc):
    doc["posts"].insert(3, {"id": "dph-vacant", "title": "Director of Public Health (shared)",
                            "reports_to": "ceo", "statutory_roles": ["dph"]})


@case(P, "fail-must-departure-ignored", [P + " fail"])
def _(doc):
    remove_person(doc, "dana-health")
    departure(doc, P)


# ---- schools-forum.established (must) ------------------------------------------------------
SF = "schools-forum.established"


@case(SF, "pass", [SF + " pass"])
def _(doc):
    pass


@case(SF, "fail-no-schools-forum", [SF + " fail"])
def _(doc):
    remove_body(doc, "schools-forum")


@case(SF, "fail-forum-of-another-kind", [SF + " fail"],
      "A body named Schools Forum whose kind is other is not a schools_forum.")
def _(doc):
    body(doc, "schools-forum")["kind"] = "other"


@case(SF, "fail-no-bodies-section", [
    SF + " fail", "hwb.dcs-member fail", "safeguarding.dcs-member fail",
    "safeguarding.lmcs-observer fail", "safeguarding.chair-appointed-by-ceo not_applicable",
    "assurance.agreed-within-council fail"],
      "Edge 3: a file without bodies has none (the review's approved_by had to go too).")
def _(doc):
    del doc["bodies"]
    del review(doc)["approved_by"]


@case(SF, "fail-must-departure-ignored", [SF + " fail"])
def _(doc):
    remove_body(doc, "schools-forum")
    departure(doc, SF)


# ---- commissioning.accountable-post (should) -----------------------------------------------
CO = "commissioning.accountable-post"


@case(CO, "not-applicable-nothing-commissioned", [CO + " not_applicable"])
def _(doc):
    pass


@case(CO, "not-applicable-adult-functions-only", [CO + " not_applicable"],
      "Edge 10: an entry whose functions are all outside children's services is not a provider "
      "of children's functions.")
def _(doc):
    add_commissioned(doc, "adult-care-company", ["adult_social_care", "public_health"],
                     accountable_post="ceo", provider="external")


@case(CO, "pass-accountable-dcs-post", [CO + " pass"])
def _(doc):
    add_commissioned(doc)


@case(CO, "pass-accountable-two-levels-below-dcs", [CO + " pass"],
      "Edge 10: anywhere down the DCS's reporting line.")
def _(doc):
    doc["posts"].insert(3, {"id": "youth-justice-manager", "title": "Youth Justice Manager",
                            "reports_to": "head-of-safeguarding",
                            "functions": ["youth_justice"]})
    add_commissioned(doc, "youth-justice-service", ["youth_justice"],
                     accountable_post="youth-justice-manager", provider="joint")


@case(CO, "fail-accountable-ceo", [CO + " fail"])
def _(doc):
    add_commissioned(doc, accountable_post="ceo")


@case(CO, "fail-accountable-post-absent", [CO + " fail"])
def _(doc):
    add_commissioned(doc, accountable_post=None)


@case(CO, "fail-one-of-two-outside-line", [CO + " fail"])
def _(doc):
    add_commissioned(doc)
    add_commissioned(doc, "early-help-mutual", ["early_help", "public_health"],
                     accountable_post="dph", provider="mutual")


@case(CO, "pass-adult-only-entry-ignored", [CO + " pass"],
      "Edge 10: the adults-only entry is not judged; the children's one is accountable to the DCS.")
def _(doc):
    add_commissioned(doc, "adult-care-company", ["adult_social_care"],
                     accountable_post="ceo", provider="external")
    add_commissioned(doc)


@case(CO, "pass-vacant-dcs-post", [CO + " pass", "dcs.appointed fail"],
      "Edge 2: what lies below the DCS post is judged on the post.")
def _(doc):
    vacate_dcs(doc)
    add_commissioned(doc)


@case(CO, "departure", [CO + " departure"])
def _(doc):
    add_commissioned(doc, accountable_post="ceo")
    departure(doc, CO)


@case(CO, "fail-departure-expired", [CO + " fail"])
def _(doc):
    add_commissioned(doc, accountable_post="ceo")
    expired_departure(doc, CO)


# ---- dcs.operational-line (should) ---------------------------------------------------------
O = "dcs.operational-line"


def _education_director(doc):
    add_person(doc, "ed-director", "Ed Director")
    doc["posts"].insert(3, {"id": "director-education", "title": "Director of Education",
                            "holder": "ed-director", "reports_to": "ceo",
                            "functions": ["education", "send"]})


@case(O, "pass", [O + " pass"])
def _(doc):
    pass


@case(O, "not-applicable-functions-not-recorded", [O + " not_applicable"],
      "Edge 3: only posts whose functions are recorded are looked at; none remains.")
def _(doc):
    del post(doc, "head-of-safeguarding")["functions"]


@case(O, "not-applicable-no-education-or-social-care-post", [O + " not_applicable"])
def _(doc):
    post(doc, "head-of-safeguarding")["functions"] = ["early_help", "youth_justice"]


@case(O, "fail-education-director-reports-to-ceo", [O + " fail"])
def _(doc):
    _education_director(doc)


@case(O, "pass-two-levels-below-dcs", [O + " pass"])
def _(doc):
    doc["posts"].insert(3, {"id": "head-of-schools", "title": "Head of School Improvement",
                            "reports_to": "head-of-safeguarding", "functions": ["education"]})


@case(O, "fail-chief-executive-post-with-education", [O + " fail"],
      "The chief executive's post is above the DCS post, not below it.")
def _(doc):
    post(doc, "ceo")["functions"] = ["education"]


@case(O, "departure", [O + " departure"])
def _(doc):
    _education_director(doc)
    departure(doc, O)


@case(O, "fail-departure-expired", [O + " fail"])
def _(doc):
    _education_director(doc)
    expired_departure(doc, O)


# ---- safeguarding.second-tier-credentials (advice) -----------------------------------------
ST = "safeguarding.second-tier-credentials"


def _second_lead(doc, background=None, holder=True):
    if holder:
        extra = {} if background is None else {"csc_background": background}
        add_person(doc, "rob-second", "Rob Second", **extra)
    p = {"id": "head-of-children-in-care", "title": "Head of Children in Care",
         "reports_to": "dcs", "functions": ["childrens_social_care"], "safeguarding_lead": True}
    if holder:
        p = {"id": p["id"], "title": p["title"], "holder": "rob-second", **{
            k: v for k, v in p.items() if k not in ("id", "title")}}
    doc["posts"].insert(3, p)


@case(ST, "pass", [ST + " pass"])
def _(doc):
    pass


@case(ST, "fail-no-lead-post", [ST + " fail"], "Edge 11: no lead post fails.")
def _(doc):
    del post(doc, "head-of-safeguarding")["safeguarding_lead"]


@case(ST, "fail-lead-post-vacant", [ST + " fail"], "Edge 11: a vacant lead post fails.")
def _(doc):
    remove_person(doc, "sam-second")


@case(ST, "fail-lead-background-some", [ST + " fail"])
def _(doc):
    person(doc, "sam-second")["csc_background"] = "some"


@case(ST, "not-recorded-lead-background-absent", [ST + " not_recorded"])
def _(doc):
    del person(doc, "sam-second")["csc_background"]


@case(ST, "pass-two-leads-one-strong", [ST + " pass"])
def _(doc):
    person(doc, "sam-second")["csc_background"] = "some"
    _second_lead(doc, "strong")


@case(ST, "not-recorded-two-leads-some-and-unrecorded", [ST + " not_recorded"],
      "Edge 11: none strong, and one lead holder's background is not recorded.")
def _(doc):
    person(doc, "sam-second")["csc_background"] = "some"
    _second_lead(doc, None)


@case(ST, "not-recorded-vacant-lead-and-unrecorded-lead", [ST + " not_recorded"])
def _(doc):
    remove_person(doc, "sam-second")
    _second_lead(doc, None)


@case(ST, "fail-two-leads-none-strong", [ST + " fail"])
def _(doc):
    person(doc, "sam-second")["csc_background"] = "none"
    _second_lead(doc, holder=False)


@case(ST, "fail-lead-not-below-dcs", [ST + " fail", "dcs.operational-line fail"],
      "The only lead post reports to the chief executive, not below the DCS.")
def _(doc):
    post(doc, "head-of-safeguarding")["reports_to"] = "ceo"


@case(ST, "pass-lead-two-levels-below-dcs", [ST + " pass"])
def _(doc):
    del post(doc, "head-of-safeguarding")["safeguarding_lead"]
    add_person(doc, "kim-lead", "Kim Lead", csc_background="strong")
    doc["posts"].insert(3, {"id": "principal-social-worker", "title": "Principal Social Worker",
                            "holder": "kim-lead", "reports_to": "head-of-safeguarding",
                            "functions": ["childrens_social_care"], "safeguarding_lead": True})


@case(ST, "pass-dcs-background-none", [ST + " pass"],
      "The DCS's own background only changes the message.")
def _(doc):
    person(doc, "alex-director")["csc_background"] = "none"


@case(ST, "pass-dcs-background-not-recorded", [ST + " pass"],
      "Edge 11 decides the status from the lead posts alone.")
def _(doc):
    del person(doc, "alex-director")["csc_background"]


@case(ST, "fail-no-dcs-post-no-strong-lead", [ST + " fail", "dcs.appointed fail"],
      """Edge 11: no post carries dcs, and the only lead post's holder has a background that
      is recorded and not strong: no DCS could make it pass, so it fails.""")
def _(doc):
    del post(doc, "dcs")["statutory_roles"]
    person(doc, "sam-second")["csc_background"] = "some"


@case(ST, "fail-no-dcs-post-no-lead-post", [ST + " fail", "dcs.appointed fail"],
      "Edge 11: no post carries dcs and no post is a safeguarding lead.")
def _(doc):
    del post(doc, "dcs")["statutory_roles"]
    del post(doc, "head-of-safeguarding")["safeguarding_lead"]


@case(ST, "not-recorded-no-dcs-post-strong-lead", [ST + " not_recorded", "dcs.appointed fail"],
      """Edge 11: no post carries dcs, but a lead post has a holder with a strong background:
      whether it is below the DCS hinges on the missing role.""")
def _(doc):
    del post(doc, "dcs")["statutory_roles"]


@case(ST, "departure", [ST + " departure"], "An advice check can be departed from.")
def _(doc):
    person(doc, "sam-second")["csc_background"] = "some"
    departure(doc, ST)


@case(ST, "fail-departure-expired", [ST + " fail"])
def _(doc):
    person(doc, "sam-second")["csc_background"] = "some"
    expired_departure(doc, ST)


# ---- dcs.mentoring (advice) ----------------------------------------------------------------
M = "dcs.mentoring"


@case(M, "not-applicable-not-first-role", [M + " not_applicable"])
def _(doc):
    pass


@case(M, "pass-first-role-with-mentor", [M + " pass"])
def _(doc):
    person(doc, "alex-director").update(first_director_role=True,
                                        mentor="ADCS mentoring scheme")


@case(M, "fail-first-role-without-mentor", [M + " fail"])
def _(doc):
    person(doc, "alex-director")["first_director_role"] = True


@case(M, "not-recorded-first-director-role-absent", [M + " not_recorded"],
      "Optional facts: first_director_role decides whether the check applies.")
def _(doc):
    del person(doc, "alex-director")["first_director_role"]


@case(M, "not-recorded-vacant-dcs-post", [M + " not_recorded"], "Edge 2.")
def _(doc):
    vacate_dcs(doc)


@case(M, "not-applicable-departure-changes-nothing", [M + " not_applicable"],
      "Edge 13: a departure on a check that is not fail changes nothing.")
def _(doc):
    departure(doc, M)


@case(M, "departure", [M + " departure"])
def _(doc):
    person(doc, "alex-director")["first_director_role"] = True
    departure(doc, M)


@case(M, "fail-departure-expired", [M + " fail"])
def _(doc):
    person(doc, "alex-director")["first_director_role"] = True
    expired_departure(doc, M)


# ---- dcs.due-diligence (advice) ------------------------------------------------------------
DD = "dcs.due-diligence"


@case(DD, "pass", [DD + " pass"])
def _(doc):
    pass


@case(DD, "pass-same-day-as-appointed", [DD + " pass"])
def _(doc):
    person(doc, "alex-director")["due_diligence"] = D("2016-01-04")


@case(DD, "fail-after-appointed", [DD + " fail"])
def _(doc):
    person(doc, "alex-director")["due_diligence"] = D("2016-01-05")


@case(DD, "fail-absent", [DD + " fail"])
def _(doc):
    del person(doc, "alex-director")["due_diligence"]


@case(DD, "fail-absent-and-appointed-absent", [DD + " fail"],
      "Edge 12: fails when due_diligence is absent, whatever else is recorded.")
def _(doc):
    del person(doc, "alex-director")["due_diligence"]
    del person(doc, "alex-director")["appointed"]


@case(DD, "not-recorded-appointed-absent", [DD + " not_recorded"],
      "Optional facts: appointed is needed to compare against.")
def _(doc):
    del person(doc, "alex-director")["appointed"]


@case(DD, "not-recorded-vacant-dcs-post", [DD + " not_recorded"], "Edge 2.")
def _(doc):
    vacate_dcs(doc)


@case(DD, "departure", [DD + " departure"])
def _(doc):
    del person(doc, "alex-director")["due_diligence"]
    departure(doc, DD)


@case(DD, "fail-departure-agreed-after-as-of", [DD + " fail"])
def _(doc):
    del person(doc, "alex-director")["due_diligence"]
    future_departure(doc, DD)


# ---- dcs.children-involved (advice) --------------------------------------------------------
CI = "dcs.children-involved"


@case(CI, "pass", [CI + " pass"])
def _(doc):
    pass


@case(CI, "fail-false", [CI + " fail"])
def _(doc):
    person(doc, "alex-director")["children_involved_in_appointment"] = False


@case(CI, "fail-absent", [CI + " fail"], "Optional facts: a fact asked to be true, left out.")
def _(doc):
    del person(doc, "alex-director")["children_involved_in_appointment"]


@case(CI, "not-recorded-vacant-dcs-post", [CI + " not_recorded"], "Edge 2.")
def _(doc):
    vacate_dcs(doc)


@case(CI, "departure", [CI + " departure"])
def _(doc):
    person(doc, "alex-director")["children_involved_in_appointment"] = False
    departure(doc, CI)


@case(CI, "fail-departure-expired", [CI + " fail"])
def _(doc):
    person(doc, "alex-director")["children_involved_in_appointment"] = False
    expired_departure(doc, CI)


if __name__ == "__main__":
    main()
