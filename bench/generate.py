#!/usr/bin/env python3
"""Writes synthetic, valid arrangements files (see docs/format.md) for the benchmarks.

Two modes:

  generate.py --posts N --bodies M [--seed S] --out FILE
      One large synthetic council: N officer posts in a reporting tree under a chief
      executive, M boards and committees with seat lists, the people who hold the posts and
      sit on the bodies, councillors' roles, commissioned functions, reviews, changes,
      departures. --posts 5000 --bodies 500 gives about 1.6 MB of YAML, --posts 50000
      --bodies 5000 about 16 MB.

  generate.py --authorities-csv data/upper_tier_authorities.csv --typical --out-dir DIR
      One typical council (about 60 posts and 12 bodies) for each authority in the CSV,
      named after it, written to DIR/<id>.yaml.

Standard library only: the YAML text is written directly, in block style as a person writes
it, with flow style for short entries. Every file loads without errors in `assure check`
(the findings vary: some councils pass everything, some do not). Same arguments, same bytes.
"""

import argparse
import csv
import datetime as dt
import os
import random
import re
import sys
import unicodedata

# ----------------------------------------------------------------------------------------
# Vocabulary for realistic text
# ----------------------------------------------------------------------------------------

FIRST_NAMES = """
Aaliyah Abdul Adam Adebayo Aditi Aidan Aisha Alan Alex Alice Alison Amanda Amara Amir Amy
Andrew Angela Anita Anna Anne Anthony Asif Barbara Ben Bernadette Beth Bilal Brian Bronwen
Caroline Catherine Chantelle Charlotte Chloe Chris Claire Colin Craig Dafydd Daniel Darren
David Deborah Declan Deepa Denise Dominic Donna Duncan Eamon Edward Eilidh Elaine Eleanor
Emma Esther Farah Fatima Fiona Frances Gareth Gemma Geoffrey Gillian Graham Hannah Harjinder
Harriet Helen Ian Imran Isabel Jack James Jane Janet Jasmine Jason Jennifer Joanne John
Jonathan Joseph Judith Julie Karen Kate Kavita Keith Kelly Kevin Kirsty Laura Lee Leon
Linda Lisa Louise Lucy Mandeep Margaret Mark Martin Matthew Maureen Michael Michelle Mohammed
Nadia Natalie Neil Nicola Nigel Niamh Olivia Owen Patrick Paul Pauline Peter Philip Priya
Rachel Rajesh Rebecca Richard Robert Rosalind Ruth Sally Samantha Samira Sandra Sarah Sean
Shabana Sharon Simon Sinead Sophie Stephen Stuart Susan Tariq Theresa Thomas Tom Tracey
Usha Vanessa Victoria Wendy William Yasmin Zainab Zoë Siân Seán Chloé
""".split()

SURNAMES = """
Abbott Achebe Adams Ahmed Akhtar Ali Allen Anderson Armstrong Ashworth Atkinson Bailey Baker
Bamford Banks Barker Barnes Bates Begum Bell Bennett Bibi Bird Bishop Black Booth Bradley
Brennan Brooks Brown Burke Butler Campbell Carter Chadwick Chapman Charlton Clark Clarke
Coleman Collins Cook Cooper Cox Crawford Cunningham Davies Dawson Dixon Doyle Duffy Edwards
Ellery Elliott Evans Fairclough Farrell Fisher Fletcher Foster Fox Frost Gibson Gill Graham
Grant Gray Green Griffiths Haddad Hall Hamilton Harris Harrison Hart Henderson Henshaw Hill
Holmes Hughes Hussain Hutchinson Iqbal Jackson James Jenkins Johnson Jones Kaur Kelly Kennedy
Kerr Khan King Knight Lawrence Lee Lewis Lindqvist Lloyd Lynch Mahmood Marshall Martin Mason
Matthews McCarthy McDonald Mills Mitchell Moore Morgan Morris Murphy Murray Nair Nelson Newton
Nowak Oduya Ogunleye Okafor Okoro O'Brien O'Connor O'Neill Owen Palmer Parker Patel Pearson
Phillips Powell Price Pritchard Quayle Rahman Reid Reynolds Richards Richardson Riley Roberts
Robinson Rowley Russell Ryan Saunders Scott Shah Sharma Shaw Simpson Singh Smith Spencer
Stevens Stewart Sullivan Taylor Thackeray Thomas Thompson Turner Walker Wallace Walsh Ward
Watson Webb Wells White Whitlock Williams Wilson Wood Wright Young Zielińska
""".split()

LOCALITIES = [
    "North", "South", "East", "West", "Central", "North East", "North West", "South East",
    "South West", "City Centre", "Coastal", "Rural", "Urban", "Inner", "Outer",
]

# Directorates: the services below them, and the functions each service covers.
SERVICES = {
    "children": [
        ("Children in Care", "cic", ["childrens_social_care"]),
        ("Care Leavers", "care-leavers", ["childrens_social_care"]),
        ("Fostering", "fostering", ["childrens_social_care"]),
        ("Adoption and Permanence", "adoption", ["childrens_social_care"]),
        ("Child Protection", "cp", ["childrens_social_care"]),
        ("Children with Disabilities", "cwd", ["childrens_social_care", "send"]),
        ("Multi-Agency Safeguarding Hub", "mash", ["childrens_social_care"]),
        ("Assessment and Intervention", "assessment", ["childrens_social_care"]),
        ("Quality Assurance and Safeguarding", "qa", ["childrens_social_care"]),
        ("Residential Children's Homes", "residential", ["childrens_social_care"]),
        ("Edge of Care", "edge-of-care", ["childrens_social_care", "early_help"]),
        ("Independent Reviewing Service", "iro", ["childrens_social_care"]),
        ("Placements and Sufficiency", "placements", ["childrens_social_care"]),
        ("Youth Justice", "yjs", ["youth_justice"]),
        ("Family Help", "family-help", ["early_help", "childrens_social_care"]),
    ],
    "education": [
        ("School Improvement", "school-improvement", ["education"]),
        ("SEND Assessment and Review", "send", ["send"]),
        ("Inclusion and Attendance", "inclusion", ["education", "send"]),
        ("Admissions and Home to School Transport", "admissions", ["school_admissions", "school_transport"]),
        ("Early Years and Childcare", "early-years", ["early_years"]),
        ("Virtual School", "virtual-school", ["education"]),
        ("Educational Psychology", "ep", ["send", "education"]),
        ("Post-16 Participation and Skills", "post16", ["education"]),
        ("School Place Planning", "place-planning", ["education", "school_admissions"]),
        ("Governor Services", "governors", ["education"]),
    ],
    "early_help": [
        ("Early Help", "early-help", ["early_help"]),
        ("Family Hubs", "family-hubs", ["early_help", "early_years"]),
        ("Youth Services", "youth", ["youth_services"]),
        ("Targeted Youth Support", "tys", ["youth_services", "early_help"]),
        ("Supporting Families", "supporting-families", ["early_help"]),
    ],
    "adults": [
        ("Adult Social Care Assessment", "asc", ["adult_social_care"]),
        ("Reablement", "reablement", ["adult_social_care"]),
        ("Learning Disabilities", "ld", ["adult_social_care"]),
        ("Mental Health Social Work", "mh", ["adult_social_care"]),
        ("Safeguarding Adults", "sga", ["adult_social_care"]),
        ("Adult Commissioning", "asc-commissioning", ["adult_social_care"]),
        ("Occupational Therapy", "ot", ["adult_social_care"]),
        ("Hospital Discharge", "discharge", ["adult_social_care"]),
    ],
    "public_health": [
        ("Health Improvement", "health-improvement", ["public_health"]),
        ("Health Protection", "health-protection", ["public_health"]),
        ("Public Health Intelligence", "ph-intel", ["public_health"]),
        ("Drug and Alcohol Services", "drugs-alcohol", ["public_health"]),
        ("Sexual Health", "sexual-health", ["public_health"]),
        ("Healthy Child Programme (0-19)", "hcp", ["public_health"]),
    ],
    "resources": [
        ("Finance", "finance", ["other"]),
        ("Audit and Risk", "audit", ["other"]),
        ("Procurement", "procurement", ["other"]),
        ("HR and Organisational Development", "hr", ["other"]),
        ("Digital and ICT", "ict", ["other"]),
        ("Revenues and Benefits", "revs-bens", ["other"]),
        ("Legal Services", "legal", ["other"]),
        ("Democratic Services", "democratic", ["other"]),
        ("Property and Estates", "property", ["other"]),
    ],
    "place": [
        ("Housing Options", "housing-options", ["housing"]),
        ("Homelessness and Temporary Accommodation", "homelessness", ["housing"]),
        ("Planning", "planning", ["other"]),
        ("Highways and Transport", "highways", ["other"]),
        ("Waste and Recycling", "waste", ["other"]),
        ("Regeneration", "regeneration", ["other"]),
        ("Environmental Health", "env-health", ["other"]),
        ("Libraries and Culture", "libraries", ["other"]),
    ],
}

# How each tier below the executive directors is titled, "{rank}, {service} ({locality})",
# and the short form its id uses, as a person would abbreviate it: "tm-fostering-north".
RANKS = [
    ("Assistant Director", "ad"),
    ("Head of Service", "head"),
    ("Service Manager", "sm"),
    ("Team Manager", "tm"),
    ("Practice Manager", "pm"),
    ("Senior Practitioner", "sp"),
    ("Practice Lead", "pl"),
]

OTHER_BODIES = [
    ("Community Safety Partnership", "partnership_board"),
    ("SEND Partnership Board", "partnership_board"),
    ("Youth Justice Management Board", "partnership_board"),
    ("Early Help Partnership", "partnership_board"),
    ("Children and Young People's Partnership", "partnership_board"),
    ("Education Standards Board", "partnership_board"),
    ("Domestic Abuse Partnership Board", "partnership_board"),
    ("Safeguarding Adults Board", "partnership_board"),
    ("Adults and Health Scrutiny Committee", "scrutiny_committee"),
    ("Overview and Scrutiny Management Board", "scrutiny_committee"),
    ("Audit and Governance Committee", "other"),
    ("Planning Committee", "other"),
    ("Licensing Committee", "other"),
    ("Pensions Committee", "other"),
    ("Standards Committee", "other"),
    ("Fostering Panel", "other"),
    ("Adoption Panel", "other"),
    ("Admissions Forum", "other"),
    ("Standing Advisory Council on Religious Education", "other"),
]

MAYORAL = {"Bedford", "Croydon", "Doncaster", "Hackney", "Leicester", "Lewisham",
           "Middlesbrough", "Newham", "North Tyneside", "Tower Hamlets"}
COMMITTEE = {"Bristol, City of", "Sheffield", "Hartlepool", "Kingston upon Thames", "Wokingham",
             "City of London", "Isles of Scilly"}

CHANGE_TEXT = {
    "restructure": [
        "Children's social care senior management team redesigned",
        "Education and inclusion services brought together under one assistant director",
        "Early help and family hubs moved into the children's directorate",
        "Corporate management team reduced from seven to five directors",
        "Locality teams reorganised around family hubs",
    ],
    "appointment": [
        "New assistant director for children's social care started",
        "Permanent Director of Children's Services appointed",
        "New Lead Member for Children's Services after the elections",
        "Head of the virtual school appointed",
    ],
    "additional_function": [
        "Housing added to the DCS's responsibilities",
        "Public health commissioning for 0-19 moved to the children's directorate",
    ],
    "interim": [
        "Interim head of service for fostering while the post is recruited",
        "Acting assistant director for education during maternity leave",
    ],
    "vacancy": [
        "Head of school improvement left; post advertised",
        "Service manager for the MASH vacant pending restructure",
    ],
}

SAFE_START = re.compile(r"[A-Za-z0-9(]")
SPECIAL_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def scalar(text, flow=False):
    """The text as a YAML scalar: plain when that reads back as the same string, else quoted."""
    plain = (
        bool(text)
        and SAFE_START.match(text) is not None
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in SPECIAL_PLAIN
        and not re.fullmatch(r"[0-9][0-9.:-]*", text)
        and not (flow and any(c in text for c in ",[]{}"))
    )
    if plain:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow_list(items):
    return "[" + ", ".join(items) + "]"


def day(d):
    return d.isoformat()


# ----------------------------------------------------------------------------------------
# The model, as plain Python values
# ----------------------------------------------------------------------------------------


class Council:
    """Builds one council's arrangements; text() writes them as YAML."""

    def __init__(self, rng, posts_n, bodies_n, authority, as_of, variant):
        self.rng = rng
        self.posts_n = max(posts_n, 14)
        self.bodies_n = max(bodies_n, 6)
        self.authority = authority
        self.as_of = as_of
        self.variant = variant  # a dict of small realistic variations (twin hatter, ...)
        self.used = {authority["id"]}
        self.used_names = set()
        self.people = []
        self.posts = []
        self.members = []
        self.bodies = []
        self.commissioned = []
        self.reviews = []
        self.changes = []
        self.departures = []
        self.build()

    # -- helpers ------------------------------------------------------------------------

    def uid(self, base):
        base = slug(base)[:60].strip("-") or "x"
        if base not in self.used:
            self.used.add(base)
            return base
        n = 2
        while f"{base}-{n}" in self.used:
            n += 1
        self.used.add(f"{base}-{n}")
        return f"{base}-{n}"

    def date_between(self, start, end):
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def full_name(self):
        for _ in range(20):
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def new_person(self, prefix="", elected=False, **facts):
        name = self.full_name()
        person = {"id": self.uid(name), "name": prefix + name, "elected_member": elected}
        person.update(facts)
        self.people.append(person)
        return person

    # -- building -----------------------------------------------------------------------

    def officer(self, senior, directorate):
        """A person to hold a post, with the facts a person would record about them."""
        rng = self.rng
        facts = {}
        if senior or rng.random() < 0.7:
            facts["appointed"] = self.date_between(dt.date(2012, 4, 1), self.as_of)
        if rng.random() < 0.06:
            facts["interim"] = True
        if directorate in ("children", "early_help") and rng.random() < 0.6:
            facts["csc_background"] = rng.choice(["strong", "strong", "some", "none"])
        return self.new_person(**facts)

    def add_post(self, title, parent, directorate, tier, functions=None, roles=None,
                 holder=None, vacant_ok=True, short=None, **extra):
        rng = self.rng
        post = {
            "id": self.uid(short or title),
            "title": title,
            "parent": parent,
            "directorate": directorate,
            "tier": tier,
            "roles": roles or [],
            "functions": functions,
            "extra": extra,
        }
        if holder is None and not (vacant_ok and rng.random() < 0.08):
            holder = self.officer(tier <= 2, directorate)
        post["holder"] = holder
        if holder is not None and holder.get("interim") and tier >= 2:
            post["extra"].setdefault(
                "interim_until", self.date_between(self.as_of, self.as_of + dt.timedelta(270)))
            post["extra"].setdefault("recruitment_active", rng.random() < 0.8)
        self.posts.append(post)
        return post

    def build(self):
        rng = self.rng
        v = self.variant
        as_of = self.as_of

        # The top of the tree: chief executive and the executive directors.
        ceo = self.add_post("Chief Executive", None, "corporate", 0,
                            roles=["head_of_paid_service"], vacant_ok=False)
        dcs_person = self.new_person(
            appointed=self.date_between(as_of - dt.timedelta(days=6 * 365),
                                        as_of - dt.timedelta(days=60)),
            interim=v["interim_dcs"],
            first_director_role=rng.random() < 0.4,
            csc_background=rng.choice(["strong", "strong", "some"]),
        )
        if dcs_person["first_director_role"] and rng.random() < 0.8:
            dcs_person["mentor"] = rng.choice([
                "ADCS mentoring scheme",
                "ADCS mentoring scheme: paired with the DCS of a neighbouring authority",
                "Regional improvement alliance peer mentor",
            ])
        if rng.random() < 0.85:
            dcs_person["due_diligence"] = dcs_person["appointed"] - dt.timedelta(
                days=rng.randint(14, 90))
        if rng.random() < 0.75:
            dcs_person["children_involved_in_appointment"] = True
        dcs_functions = ["education", "childrens_social_care", "send", "early_years",
                         "early_help", "youth_justice"]
        dcs_roles = ["dcs"]
        dcs_title = rng.choice([
            "Director of Children's Services",
            "Executive Director, Children's Services",
            "Corporate Director, Children and Young People",
            "Strategic Director, Children and Families",
        ])
        if v["twin_hatter"]:
            dcs_roles.append("dass")
            dcs_functions += ["adult_social_care"]
            dcs_title = rng.choice(["Executive Director, People",
                                    "Corporate Director, People and Communities"])
        dcs_extra = {}
        if v["interim_dcs"]:
            dcs_extra["interim_until"] = self.date_between(as_of + dt.timedelta(30),
                                                           as_of + dt.timedelta(240))
            dcs_extra["recruitment_active"] = True
        dcs = self.add_post(dcs_title, ceo, "children", 1, functions=dcs_functions,
                            roles=dcs_roles, holder=dcs_person, **dcs_extra)
        if not v["twin_hatter"]:
            adults = self.add_post(
                rng.choice(["Director of Adult Social Services", "Executive Director, Adults and Health"]),
                ceo, "adults", 1, functions=["adult_social_care"], roles=["dass"],
                vacant_ok=False)
        else:
            adults = self.add_post("Director of Adult Social Care", dcs, "adults", 2,
                                   functions=["adult_social_care"], vacant_ok=False)
        dph_line = rng.choice([ceo, adults])
        self.add_post("Director of Public Health", dph_line, "public_health", dph_line["tier"] + 1,
                      functions=["public_health"], roles=["dph"], vacant_ok=v["dph_vacancy_ok"])
        resources = self.add_post(
            rng.choice(["Director of Finance and Resources", "Executive Director, Resources"]),
            ceo, "resources", 1, functions=["other"], roles=["chief_finance_officer"],
            vacant_ok=False)
        self.add_post("Director of Law and Governance", resources, "resources", 2,
                      functions=["other"], roles=["monitoring_officer"], vacant_ok=False)
        place = self.add_post(rng.choice(["Executive Director, Place", "Director of Place and Economy"]),
                              ceo, "place", 1, functions=["housing", "other"], vacant_ok=False)

        # Second tier under the DCS: the safeguarding lead, education, early help.
        lead_person = self.officer(True, "children")
        if rng.random() < 0.85:
            lead_person["csc_background"] = "strong"
        self.add_post(rng.choice(["Director of Children's Social Care",
                                  "Assistant Director, Children's Social Care",
                                  "Assistant Director, Safeguarding and Family Support"]),
                      dcs, "children", 2, functions=["childrens_social_care", "early_help"],
                      holder=lead_person, safeguarding_lead=True)
        self.add_post(rng.choice(["Assistant Director, Education and Inclusion",
                                  "Director of Education", "Assistant Director, Learning"]),
                      dcs, "education", 2,
                      functions=["education", "send", "school_admissions", "school_transport"])
        self.add_post("Assistant Director, Early Help and Prevention", dcs, "early_help", 2,
                      functions=["early_help", "youth_services", "youth_justice"])
        self.add_post("Assistant Director, Adult Social Care Operations", adults, "adults",
                      adults["tier"] + 1, functions=["adult_social_care"])
        self.add_post("Assistant Director, Housing and Communities", place, "place", 2,
                      functions=["housing"])

        # The rest: a deep-ish tree, each post under an earlier one in the same directorate.
        first = 1
        while len(self.posts) < self.posts_n:
            i = len(self.posts)
            p = int(i / rng.uniform(2.2, 4.5))
            p = min(max(p, first), i - 1)
            parent = self.posts[p]
            tier = parent["tier"] + 1
            service, key, functions = rng.choice(SERVICES[parent["directorate"]])
            rank, abbreviation = RANKS[min(max(tier - 2, 0), len(RANKS) - 1)]
            title = f"{rank}, {service}"
            short = f"{abbreviation}-{key}"
            if tier >= 4 or rng.random() < 0.3:
                locality = rng.choice(LOCALITIES)
                title += f" ({locality})"
                short += "-" + ("".join(w[0] for w in locality.split()) if " " in locality
                                else locality)
            if rng.random() < 0.12:
                functions = None  # not recorded
            self.add_post(title, parent, parent["directorate"], tier, functions=functions,
                          short=short)

        # Councillors: the leader, the cabinet with the LMCS, committee chairs, backbenchers.
        cllrs = max(9, self.posts_n // 60)
        leader = self.new_person("", True)
        role_leader = "mayor" if self.authority["governance"] == "mayor_cabinet" else "leader"
        committee = self.authority["governance"] == "committee"
        if committee:
            role_leader = "committee_chair"
        self.members.append({"person": leader, "roles": [role_leader], "portfolio": ["other"],
                             "comment": "Leader of the Council" if not committee
                             else "Leader; chairs Policy and Resources Committee"})
        lmcs = self.new_person("", True, appointed=self.date_between(
            as_of - dt.timedelta(days=4 * 365), as_of - dt.timedelta(days=30)))
        lmcs_portfolio = ["childrens_social_care", "early_help", "youth_justice"]
        if not v["split_portfolio"]:
            lmcs_portfolio = ["education", "send", "early_years"] + lmcs_portfolio
        self.lmcs = lmcs
        self.members.append({
            "person": lmcs,
            "roles": ["committee_chair" if committee else "cabinet_member"],
            "portfolio": lmcs_portfolio,
            "designations": ["lmcs"],
            "comment": "Lead Member for Children's Services",
        })
        portfolios = [
            (["education", "school_admissions", "school_transport"], "Education and Skills"),
            (["adult_social_care"], "Adult Social Care"),
            (["public_health", "other"], "Health and Wellbeing"),
            (["housing"], "Housing"),
            (["other"], "Finance and Resources"),
            (["other"], "Environment and Transport"),
            (["other"], "Communities and Culture"),
            (["other"], "Regeneration and Economy"),
        ]
        if not v["split_portfolio"]:
            portfolios = portfolios[1:]
        self.cabinet = [leader, lmcs]
        for i, (portfolio, what) in enumerate(portfolios[: max(3, min(8, cllrs - 3))]):
            person = self.new_person("", True)
            self.cabinet.append(person)
            entry = {"person": person,
                     "roles": ["committee_chair" if committee else "cabinet_member"],
                     "portfolio": portfolio, "comment": what}
            if portfolio == ["adult_social_care"]:
                entry["designations"] = ["lead_member_adults"]
            self.members.append(entry)
        self.councillors = list(self.cabinet)
        while len(self.councillors) < cllrs:
            self.councillors.append(self.new_person("", True))

        # Partners and independent chairs.
        self.partners = []
        for prefix in ["", "Det Supt ", "Dr ", "", "Dr "] + [""] * (self.bodies_n // 4):
            self.partners.append(self.new_person(prefix))

        self.build_bodies()
        self.build_commissioned()
        self.build_assurance()

    def build_bodies(self):
        rng = self.rng
        place = self.authority["short"]
        dcs = self.posts[1]
        dcs_holder = dcs["holder"]
        ceo = self.posts[0]
        senior = [p["holder"] for p in self.posts if p["tier"] <= 3 and p["holder"]]
        officers = [p["holder"] for p in self.posts if p["holder"]]

        def seats(n, pool):
            chosen = rng.sample(pool, min(n, len(pool)))
            return [(p, rng.choice(["member"] * 6 + ["participating_observer"])) for p in chosen]

        sp = {"name": f"{place} Safeguarding Children Partnership",
              "kind": "safeguarding_partnership", "chair": self.partners[0],
              "comment": "the 2019 multi-agency safeguarding arrangements",
              "members": [(dcs_holder, "lead_partner"), (self.partners[1], "lead_partner"),
                          (self.partners[2], "lead_partner")]}
        if self.variant["lmcs_observer"]:
            sp["members"].append((self.lmcs, "participating_observer"))
        sp["members"] += seats(3, senior)
        hwb = {"name": f"{place} Health and Wellbeing Board",
               "kind": "health_and_wellbeing_board", "chair": self.cabinet[2],
               "members": ([(dcs_holder, "member")] if self.variant["dcs_on_hwb"] else [])
               + [(self.partners[4], "member"), (self.cabinet[0], "member")]
               + seats(4, senior)}
        core = [
            sp,
            hwb,
            {"name": f"{place} Schools Forum", "kind": "schools_forum",
             "chair": self.partners[3], "members": seats(3, senior)},
            {"name": "Cabinet" if self.authority["governance"] != "committee"
             else "Policy and Resources Committee",
             "kind": "cabinet", "chair": self.cabinet[0],
             "members": [(c, "member") for c in self.cabinet[1:]]},
            {"name": "Corporate Parenting Board", "kind": "corporate_parenting_board",
             "chair": self.lmcs, "members": seats(5, senior + self.councillors)},
            {"name": "Children and Young People Scrutiny Committee",
             "kind": "scrutiny_committee", "chair": rng.choice(self.councillors[2:]),
             "members": seats(6, self.councillors)},
        ]
        if self.variant["lscb"]:
            core[0].update({"name": f"{place} Local Safeguarding Children Board", "kind": "lscb",
                            "chair_appointed_by": ceo, "comment": None})
        self.approver = core[3]
        for body in core[: self.bodies_n]:
            self.bodies.append(body)
        k = 0
        while len(self.bodies) < self.bodies_n:
            name, kind = OTHER_BODIES[k % len(OTHER_BODIES)]
            if k >= len(OTHER_BODIES):
                name = f"{name} ({LOCALITIES[(k // len(OTHER_BODIES) - 1) % len(LOCALITIES)]} Area {k // (len(OTHER_BODIES) * len(LOCALITIES)) + 1})"
            k += 1
            pool = officers if kind == "partnership_board" else self.councillors
            body = {"name": name, "kind": kind,
                    "chair": rng.choice(self.councillors if kind != "partnership_board"
                                        else senior + self.partners),
                    "members": seats(rng.randint(4, 12), pool + self.partners)}
            self.bodies.append(body)
        for body in self.bodies:
            body["id"] = self.uid(body["name"])
            # No one sits twice on one body, and a chair is not also a plain member.
            seen = {id(body["chair"])}
            unique = []
            for who, role in body["members"]:
                if who is not None and id(who) not in seen:
                    seen.add(id(who))
                    unique.append((who, role))
            body["members"] = unique

    def build_commissioned(self):
        rng = self.rng
        place = self.authority["short"]
        below = [p for p in self.posts if p["directorate"] in ("children", "education")
                 and 1 <= p["tier"] <= 4]
        adults = [p for p in self.posts if p["directorate"] == "adults"]
        options = [
            (f"{place} and Neighbouring Councils Regional Adoption Agency", "joint",
             ["childrens_social_care"], below),
            ("Home to school transport framework", "external", ["school_transport"], below),
            ("Independent fostering agencies framework", "external", ["childrens_social_care"],
             below),
            ("Children's residential care block contract", "external",
             ["childrens_social_care"], below),
            ("Short breaks for disabled children", "external", ["childrens_social_care", "send"],
             below),
            ("Youth service mutual", "mutual", ["youth_services"], below),
            (f"{place} Children's Services Trust", "trust", ["childrens_social_care"], below),
            ("Home care and reablement framework", "external", ["adult_social_care"], adults),
        ]
        n = max(2, self.posts_n // 250)
        for i in range(n):
            name, provider, functions, pool = options[i % len(options)]
            if i >= len(options):
                name = f"{name} (lot {i // len(options) + 1})"
            entry = {"id": self.uid(name), "name": name, "provider": provider,
                     "functions": functions}
            if rng.random() < 0.95:
                entry["accountable_post"] = rng.choice(pool)
            self.commissioned.append(entry)

    def build_assurance(self):
        rng = self.rng
        v = self.variant
        as_of = self.as_of
        n_reviews = max(3, self.posts_n // 500)
        n_changes = max(4, self.posts_n // 100)
        latest = as_of - dt.timedelta(days=rng.randint(20, 330 if v["current_review"] else 500))
        # Changes happen before the latest review (or one after it, when it is stale).
        start = latest - dt.timedelta(days=365 * (n_reviews + 1))
        dates = sorted(self.date_between(start, latest - dt.timedelta(days=1))
                       for _ in range(n_changes))
        if not v["current_review"] and rng.random() < 0.5:
            dates[-1] = self.date_between(latest + dt.timedelta(days=1), as_of)
        for d in dates:
            kind = rng.choice(["restructure", "appointment", "appointment", "interim", "vacancy",
                               "additional_function"])
            self.changes.append({"date": d, "kind": kind,
                                 "description": rng.choice(CHANGE_TEXT[kind])})
        scope = ["dcs", "lmcs"] + (["dass"] if v["twin_hatter"] else [])
        all_elements = ["senior_management", "accountability", "breadth_of_role",
                        "children_voice", "child_protection", "partnerships"]
        for i in range(n_reviews):
            d = latest - dt.timedelta(days=365 * (n_reviews - 1 - i) + rng.randint(0, 40))
            is_latest = i == n_reviews - 1
            kind = "local_assurance_test" if is_latest or rng.random() < 0.6 else rng.choice(
                ["audit", "self_assessment", "peer_review"])
            elements = all_elements if is_latest and v["all_elements"] else sorted(
                rng.sample(all_elements, rng.randint(3, 6)), key=all_elements.index)
            review = {"id": self.uid(f"{kind.replace('_', '-')}-{d.year}-{d.month:02d}"),
                      "date": d, "kind": kind, "scope": scope, "elements": elements,
                      "self_assessed": True, "peer_challenged": rng.random() < 0.6}
            if is_latest and v["peer_challenged"]:
                review["peer_challenged"] = True
            if rng.random() < 0.9 or is_latest:
                review["approved_by"] = self.approver
                review["approved_on"] = d + dt.timedelta(days=rng.randint(5, 40))
            self.reviews.append(review)
        if rng.random() < 0.5:
            d = latest + dt.timedelta(days=rng.randint(1, 15))
            self.reviews.append({"id": self.uid(f"ofsted-ilacs-{d.year}-{d.month:02d}"),
                                 "date": d, "kind": "ofsted_inspection", "scope": ["dcs"],
                                 "comment": "recorded for the history; never counts"})
        if rng.random() < 0.5:
            self.departures.append({
                "check": "assurance.self-and-peer",
                "reason": "Peer challenge of the latest assurance will be carried out by the "
                          "regional improvement alliance within six months, once the new "
                          "senior leadership team has settled.",
                "agreed_by": self.approver,
                "agreed_on": latest + dt.timedelta(days=rng.randint(5, 60)),
                "review_by": as_of + dt.timedelta(days=rng.randint(30, 200)),
            })
        self.published = {"url": f"https://www.{self.authority['domain']}/council/statutory-officers",
                          "on": as_of - dt.timedelta(days=rng.randint(1, 25))}

    # -- writing ------------------------------------------------------------------------

    def text(self):
        a = self.authority
        out = []
        w = out.append
        w(f"# {a['name']}: leadership arrangements for children's services")
        w("# Synthetic data written by bench/generate.py for Assure's benchmarks.")
        w("")
        w("authority:")
        w(f"  id: {a['id']}")
        w(f"  name: {scalar(a['name'])}")
        if a.get("gss_code"):
            w(f"  gss_code: {a['gss_code']}")
        w(f"  type: {a['type']}")
        w(f"  governance: {a['governance']}")
        w(f"  as_of: {day(self.as_of)}")
        w("")
        w("# Everyone named below: officers, councillors, partners and independent chairs.")
        w("people:")
        for p in self.people:
            facts = [("id", p["id"]), ("name", scalar(p["name"])),
                     ("elected_member", "true" if p["elected_member"] else "false")]
            for key in ("appointed", "interim", "first_director_role", "csc_background",
                        "mentor", "due_diligence", "children_involved_in_appointment"):
                if key not in p:
                    continue
                value = p[key]
                if isinstance(value, bool):
                    value = "true" if value else "false"
                elif isinstance(value, dt.date):
                    value = day(value)
                else:
                    value = scalar(value)
                facts.append((key, value))
            if len(facts) <= 4 and "mentor" not in p and self.rng.random() < 0.6:
                flow = [(k, v if k != "name" else scalar(p["name"], flow=True)) for k, v in facts]
                w("  - { " + ", ".join(f"{k}: {v}" for k, v in flow) + " }")
            else:
                w(f"  - {facts[0][0]}: {facts[0][1]}")
                for k, v in facts[1:]:
                    w(f"    {k}: {v}")
        w("")
        w("# Officer posts. The head of paid service has no reports_to.")
        w("posts:")
        for p in self.posts:
            w(f"  - id: {p['id']}")
            w(f"    title: {scalar(p['title'])}")
            if p["holder"] is not None:
                w(f"    holder: {p['holder']['id']}")
            else:
                w(f"    # vacant: no holder")
            if p["parent"] is not None:
                w(f"    reports_to: {p['parent']['id']}")
            if p["roles"]:
                w(f"    statutory_roles: {flow_list(p['roles'])}")
            if p["functions"] is not None:
                w(f"    functions: {flow_list(p['functions'])}")
            for key, value in p["extra"].items():
                if isinstance(value, bool):
                    value = "true" if value else "false"
                elif isinstance(value, dt.date):
                    value = day(value)
                w(f"    {key}: {value}")
        w("")
        w("# Councillors' executive roles, portfolios and designations.")
        w("members:")
        for m in self.members:
            w(f"  - person: {m['person']['id']}" + (f"   # {m['comment']}" if m.get("comment") else ""))
            w(f"    roles: {flow_list(m['roles'])}")
            if "portfolio" in m:
                w(f"    portfolio: {flow_list(m['portfolio'])}")
            if "designations" in m:
                w(f"    designations: {flow_list(m['designations'])}")
        w("")
        w("# Boards, partnerships and committees, and who sits on them.")
        w("bodies:")
        for b in self.bodies:
            w(f"  - id: {b['id']}")
            w(f"    name: {scalar(b['name'])}")
            w(f"    kind: {b['kind']}" + (f"   # {b['comment']}" if b.get("comment") else ""))
            if b.get("chair") is not None:
                w(f"    chair: {b['chair']['id']}")
            if b.get("chair_appointed_by") is not None:
                w(f"    chair_appointed_by: {b['chair_appointed_by']['id']}")
            if b["members"]:
                w("    members:")
                for who, role in b["members"]:
                    w(f"      - {{ who: {who['id']}, role: {role} }}")
        w("")
        w("# Children's functions delivered by another provider.")
        w("functions_commissioned:")
        for c in self.commissioned:
            w(f"  - id: {c['id']}")
            w(f"    name: {scalar(c['name'])}")
            w(f"    provider: {c['provider']}")
            w(f"    functions: {flow_list(c['functions'])}")
            if "accountable_post" in c:
                w(f"    accountable_post: {c['accountable_post']['id']}")
        w("")
        w("assurance:")
        w("  review_interval_months: 12")
        w("  reviews:")
        for r in self.reviews:
            w(f"    - id: {r['id']}")
            w(f"      date: {day(r['date'])}")
            w(f"      kind: {r['kind']}" + (f"   # {r['comment']}" if r.get("comment") else ""))
            w(f"      scope: {flow_list(r['scope'])}")
            if "elements" in r:
                w(f"      elements: {flow_list(r['elements'])}")
            for key in ("self_assessed", "peer_challenged"):
                if key in r:
                    w(f"      {key}: {'true' if r[key] else 'false'}")
            if "approved_by" in r:
                w(f"      approved_by: {r['approved_by']['id']}")
                w(f"      approved_on: {day(r['approved_on'])}")
        w("  changes:")
        for c in self.changes:
            w(f"    - {{ date: {day(c['date'])}, kind: {c['kind']}, "
              f"description: {scalar(c['description'], flow=True)} }}")
        if self.departures:
            w("  departures:")
            for d in self.departures:
                w(f"    - check: {d['check']}")
                w(f"      reason: {scalar(d['reason'])}")
                w(f"      agreed_by: {d['agreed_by']['id']}")
                w(f"      agreed_on: {day(d['agreed_on'])}")
                w(f"      review_by: {day(d['review_by'])}")
        w("  published:")
        w(f"    url: {self.published['url']}")
        w(f"    on: {day(self.published['on'])}")
        return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------
# Authorities
# ----------------------------------------------------------------------------------------

TYPE_MAP = {
    "unitary_authority": "unitary",
    "metropolitan_district": "metropolitan_borough",
    "london_borough": "london_borough",
    "county": "county",
}


def council_name(name, kind):
    if name.endswith(", City of"):
        return f"{name[: -len(', City of')]} City Council"
    if name.endswith(", County of"):
        return f"{name[: -len(', County of')]} Council"
    return {
        "city_of_london": "City of London Corporation",
        "isles_of_scilly": "Council of the Isles of Scilly",
        "london_borough": f"London Borough of {name}",
        "metropolitan_borough": f"{name} Metropolitan Borough Council",
        "county": f"{name} County Council",
    }.get(kind, f"{name} Council")


def authority_from_row(row):
    kind = TYPE_MAP[row["type"]]
    if row["gss_code"] == "E09000001":
        kind = "city_of_london"
    elif row["gss_code"] == "E06000053":
        kind = "isles_of_scilly"
    name = row["name"]
    short = name.split(",")[0]
    governance = ("mayor_cabinet" if name in MAYORAL
                  else "committee" if name in COMMITTEE else "leader_cabinet")
    return {
        "id": slug(name),
        "name": council_name(name, kind),
        "short": short,
        "gss_code": row["gss_code"],
        "type": kind,
        "governance": governance,
        "domain": slug(short).replace("-", "") + ".gov.uk",
    }


def typical_variant(rng):
    """Small realistic variations, so that the 153 files do not all give the same findings."""
    return {
        "twin_hatter": rng.random() < 0.2,
        "interim_dcs": rng.random() < 0.12,
        "split_portfolio": rng.random() < 0.15,
        "lmcs_observer": rng.random() < 0.8,
        "dcs_on_hwb": rng.random() < 0.95,
        "dph_vacancy_ok": True,
        "lscb": rng.random() < 0.05,
        "current_review": rng.random() < 0.75,
        "all_elements": rng.random() < 0.7,
        "peer_challenged": rng.random() < 0.6,
    }


def big_variant():
    return {
        "twin_hatter": False, "interim_dcs": False, "split_portfolio": False,
        "lmcs_observer": True, "dcs_on_hwb": True, "dph_vacancy_ok": False, "lscb": False,
        "current_review": True, "all_elements": True, "peer_challenged": False,
    }


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, help="number of officer posts (at least 14)")
    parser.add_argument("--bodies", type=int,
                        help="number of bodies (at least 6; default: posts / 10)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", help="the file to write (- for standard output)")
    parser.add_argument("--authorities-csv", help="data/upper_tier_authorities.csv")
    parser.add_argument("--typical", action="store_true",
                        help="one typical council per authority in --authorities-csv")
    parser.add_argument("--out-dir", help="where --typical writes its files")
    args = parser.parse_args(argv)

    if args.typical:
        if not args.authorities_csv or not args.out_dir:
            parser.error("--typical needs --authorities-csv and --out-dir")
        os.makedirs(args.out_dir, exist_ok=True)
        with open(args.authorities_csv, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for index, row in enumerate(rows):
            rng = random.Random(f"{args.seed}:{row['gss_code']}")
            authority = authority_from_row(row)
            as_of = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
            posts = rng.randint(52, 68)
            bodies = rng.randint(10, 14)
            council = Council(rng, posts, bodies, authority, as_of, typical_variant(rng))
            write(os.path.join(args.out_dir, authority["id"] + ".yaml"), council.text())
        print(f"generate.py: wrote {len(rows)} typical councils to {args.out_dir}",
              file=sys.stderr)
        return 0

    if args.posts is None or not args.out:
        parser.error("give --posts N --out FILE, or --typical with --authorities-csv and --out-dir")
    bodies = args.bodies if args.bodies is not None else max(6, args.posts // 10)
    rng = random.Random(args.seed)
    authority = {
        "id": f"synthetic-{args.posts}",
        "name": f"Synthetic County Council ({args.posts} posts)",
        "short": "Synthetic County",
        "gss_code": "E10000099",
        "type": "county",
        "governance": "leader_cabinet",
        "domain": "synthetic.example",
    }
    council = Council(rng, args.posts, bodies, authority, dt.date(2026, 10, 31), big_variant())
    text = council.text()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write(args.out, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
