#!/usr/bin/env python3
"""Build testdata/gold/dev.jsonl from the marked-up source dev.src.txt, and validate it.

This is a maintainer's tool: the committed dev.jsonl is the artefact, and no test runs this
script (users' machines need not have Python). Run it after editing dev.src.txt:

    python3 testdata/gold/build.py            # writes dev.jsonl, prints statistics
    python3 testdata/gold/build.py --check    # validates dev.jsonl only

Source format (see README.md):

    === dev-001 | 2026-02-03 | Meridian Wire | Title of the article
    Text with [LABEL span text] or [LABEL#id span text] or [LABEL#id span text|k=v;k=v].
    @trigger_id role=id,id role=id

Label abbreviations: A ATTACK, D DEATH, I INJURY, AC ACTOR, T TARGET, V VICTIM, L LOCATION,
TM TIME, W WEAPON, C CASUALTY, S SOURCE.
CASUALTY attributes: k=kind; n=number or A-B; q=qualifier (default exact); v=victims,comma;
c=claimant span id; s=cum for cumulative (default incident).
TIME attributes: date=YYYY-MM-DD (or date= for none); weekdays and "Month Day" resolve
automatically against the publication date.
Offsets are Python str indices, which are Unicode code points, as Evident requires.
"""
import datetime
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "dev.src.txt"
OUT = HERE / "dev.jsonl"

LABELS = {"A": "ATTACK", "D": "DEATH", "I": "INJURY", "AC": "ACTOR", "T": "TARGET", "V": "VICTIM",
          "L": "LOCATION", "TM": "TIME", "W": "WEAPON", "C": "CASUALTY", "S": "SOURCE"}
FULL = set(LABELS.values())
TRIGGERS = {"ATTACK", "DEATH", "INJURY"}
ROLE_LABEL = {"attacker": "ACTOR", "target": "TARGET", "victim": "VICTIM", "place": "LOCATION",
              "time": "TIME", "instrument": "WEAPON", "casualties": "CASUALTY", "source": "SOURCE"}
ROLES = {"ATTACK": set(ROLE_LABEL),
         "DEATH": set(ROLE_LABEL) - {"target"},
         "INJURY": set(ROLE_LABEL) - {"target"}}
KINDS = {"killed", "injured", "missing", "displaced", "detained"}
QUALS = {"exact", "approx", "at_least", "more_than", "up_to", "range", "vague"}
VICTIMS = {"people", "civilians", "children", "women", "men", "soldiers", "police", "combatants",
           "journalists", "aid_workers", "health_workers", "workers", "officials", "students",
           "worshippers", "migrants", "passengers", "farmers", "traders", "miners", "teachers",
           "peacekeepers"}

SPAN_RE = re.compile(r"\[([A-Z]+)(?:#([A-Za-z0-9_]+))? ([^\[\]|]+?)(?:\|([^\[\]]*))?\]")

# ---- number reading, used only to cross-check the hand-written n= and q= ----
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
         "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90, "a hundred": 100, "a thousand": 1000, "a dozen": 12,
         "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 3,
         "a few": 3, "tens of thousands": 10000, "hundreds of thousands": 100000, "tens": 10}
# "a dozen" and "N dozen" name a number, loosely: approx; the rest name none: vague
VAGUE = {"dozens", "scores", "hundreds", "thousands", "several", "a few",
         "tens of thousands", "hundreds of thousands", "tens"}
QUAL_WORDS = [("at least", "at_least"), ("no fewer than", "at_least"), ("more than", "more_than"),
              ("over", "more_than"), ("upwards of", "more_than"), ("nearly", "approx"),
              ("about", "approx"), ("around", "approx"), ("some", "approx"),
              ("approximately", "approx"), ("roughly", "approx"), ("almost", "approx"),
              ("close to", "approx"), ("an estimated", "approx"), ("up to", "up_to"),
              ("as many as", "up_to"), ("fewer than", "up_to"), ("less than", "up_to")]


def read_number(s):
    """Return (value, vague) for the number at the start of s, or (None, False)."""
    s = s.lower()
    m = re.match(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s+million)?", s)
    if m:
        v = int(m.group(1).replace(",", ""))
        if m.group(3):
            v = int(float(m.group(1).replace(",", "") + "." + (m.group(2) or "0")) * 1_000_000)
        return v, False
    m = re.match(r"(several|a few) (hundred|thousand)\b", s)
    if m:
        return 3 * (100 if m.group(2) == "hundred" else 1000), "vague"
    m = re.match(r"(\w+) million\b", s)
    if m and m.group(1) in WORDS:
        return WORDS[m.group(1)] * 1_000_000, False
    m = re.match(r"(\w+) dozen\b", s)
    if m and m.group(1) in WORDS:
        return WORDS[m.group(1)] * 12, "approx"
    for w in sorted(WORDS, key=len, reverse=True):
        if re.match(re.escape(w) + r"\b", s):
            v = WORDS[w]
            rest = s[len(w):]
            m2 = re.match(r"-(\w+)", rest)  # twenty-one
            if m2 and m2.group(1) in WORDS and WORDS[m2.group(1)] < 10:
                v += WORDS[m2.group(1)]
            if w == "a dozen":
                return v, "approx"
            return v, "vague" if w in VAGUE else False
    return None, False


def guess(text):
    """Guess (qualifier, low, high) from a casualty span's text."""
    t = text.lower()
    q = None
    for w, qq in QUAL_WORDS:
        if t.startswith(w + " "):
            q, t = qq, t[len(w) + 1:]
            break
    m = re.match(r"between (\S+(?: \w+)?) and (\S+)", t)
    if m:
        a, _ = read_number(m.group(1)); b, _ = read_number(m.group(2))
        return "range", a, b
    m = re.match(r"(\d[\d,]*|\w+)\s*(?:to|-|–)\s*(\d[\d,]*|\w+)\b", t)
    if m and q is None:
        a, _ = read_number(m.group(1)); b, _ = read_number(m.group(2))
        if a is not None and b is not None and a < b:
            return "range", a, b
    v, vague = read_number(t)
    if v is None:
        return None, None, None
    if q is None:
        q = vague or "exact"
    return q, v, v


def bounds(q, n):
    if q == "range":
        a, b = n.split("-")
        return int(a), int(b)
    n = int(n)
    return {"exact": (n, n), "approx": (n, n), "vague": (n, n), "at_least": (n, None), "more_than": (n + 1, None),
            "up_to": (None, n)}[q]


MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                      "august", "september", "october", "november", "december"], 1)}
MONTHS.update({"jan.": 1, "feb.": 2, "aug.": 8, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def resolve_date(text, published):
    t = text.lower()
    pub = datetime.date.fromisoformat(published)
    for i, wd in enumerate(WEEKDAYS):
        if re.search(r"\b" + wd + r"\b", t):
            back = (pub.weekday() - i) % 7
            if "last " + wd in t and back == 0:
                back = 7
            return (pub - datetime.timedelta(days=back)).isoformat()
    m = re.search(r"\b([a-z]+\.?) (\d{1,2})\b", t)
    if m and m.group(1) in MONTHS:
        d = datetime.date(pub.year, MONTHS[m.group(1)], int(m.group(2)))
        if d > pub:
            d = d.replace(year=pub.year - 1)
        return d.isoformat()
    if re.search(r"\byesterday\b", t):
        return (pub - datetime.timedelta(days=1)).isoformat()
    if re.search(r"\btoday\b", t):
        return pub.isoformat()
    return None


class BuildError(Exception):
    pass


def parse_attrs(s):
    out = {}
    for part in filter(None, (p.strip() for p in s.split(";"))):
        k, _, v = part.partition("=")
        out[k.strip()] = v.strip()
    return out


def build_doc(header, body_lines, event_lines):
    hid, published, outlet, title = [h.strip() for h in header.split("|", 3)]
    datetime.date.fromisoformat(published)
    raw = "\n".join(body_lines).strip("\n")
    raw = re.sub(r"\n{3,}", "\n\n", raw)
    text, spans, ids, pos = [], [], {}, 0
    plain_len = 0
    for m in SPAN_RE.finditer(raw):
        chunk = raw[pos:m.start()]
        if "[" in chunk or "]" in chunk:
            raise BuildError(f"{hid}: stray bracket near {chunk[-40:]!r}")
        text.append(chunk); plain_len += len(chunk)
        lab, sid, stext, attrs = m.group(1), m.group(2), m.group(3), m.group(4)
        label = LABELS.get(lab, lab)
        if label not in FULL:
            raise BuildError(f"{hid}: unknown label {lab!r}")
        if stext != stext.strip():
            raise BuildError(f"{hid}: span text has outer spaces: {stext!r}")
        sp = {"start": plain_len, "end": plain_len + len(stext), "label": label, "text": stext,
              "_id": sid, "_attrs": parse_attrs(attrs or "")}
        if sid:
            if sid in ids:
                raise BuildError(f"{hid}: duplicate span id {sid}")
            ids[sid] = sp
        spans.append(sp)
        text.append(stext); plain_len += len(stext)
        pos = m.end()
    tail = raw[pos:]
    if "[" in tail or "]" in tail:
        raise BuildError(f"{hid}: stray bracket near {tail[:40]!r}")
    text.append(tail)
    text = "".join(text)
    spans.sort(key=lambda s: (s["start"], s["end"]))
    index = {id(s): i for i, s in enumerate(spans)}

    # attributes
    for s in spans:
        a = s.pop("_attrs")
        if s["label"] == "CASUALTY":
            kind, q, n = a.pop("k", None), a.pop("q", "exact"), a.pop("n", None)
            if kind not in KINDS or q not in QUALS or n is None:
                raise BuildError(f"{hid}: casualty {s['text']!r} needs k in {KINDS}, q, n")
            low, high = bounds(q, n)
            gq, gl, gh = guess(s["text"])
            if q in ("more_than",):
                gl = gl + 1 if gl is not None else None
                gh = None
            elif q == "at_least":
                gh = None
            elif q == "up_to":
                gl = None
                if s["text"].lower().startswith(("fewer than", "less than")) and gh is not None:
                    gh -= 1
            if (gq, gl, gh) != (q, low, high):
                print(f"warning: {hid}: {s['text']!r} written as {q} {low}-{high}, "
                      f"text reads {gq} {gl}-{gh}", file=sys.stderr)
            victims = [v for v in a.pop("v", "people").split(",") if v]
            for v in victims:
                if v not in VICTIMS:
                    raise BuildError(f"{hid}: unknown victim group {v!r}")
            attrs = {"kind": kind, "low": low, "high": high, "qualifier": q, "victims": victims,
                     "scope": "cumulative" if a.pop("s", "inc") == "cum" else "incident"}
            c = a.pop("c", None)
            if c:
                if c not in ids or ids[c]["label"] != "SOURCE":
                    raise BuildError(f"{hid}: claimant {c} of {s['text']!r} is not a SOURCE span id")
                attrs["claimant"] = index[id(ids[c])]
                attrs["claimant_text"] = ids[c]["text"]
            s["attrs"] = attrs
        elif s["label"] == "TIME":
            if "date" in a:
                d = a.pop("date")
            else:
                d = resolve_date(s["text"], published)
            if d:
                datetime.date.fromisoformat(d)
                s["attrs"] = {"date": d}
        if a:
            raise BuildError(f"{hid}: unused attributes {a} on {s['text']!r}")

    # events: one per trigger, arguments from @ lines
    args_by_trigger = {}
    for ln in event_lines:
        parts = ln[1:].split()
        tid = parts[0]
        if tid not in ids or ids[tid]["label"] not in TRIGGERS:
            raise BuildError(f"{hid}: event line names {tid!r}, not a trigger id")
        if tid in args_by_trigger:
            raise BuildError(f"{hid}: two event lines for {tid}")
        args = {}
        for p in parts[1:]:
            role, _, vals = p.partition("=")
            etype = ids[tid]["label"]
            if role not in ROLES[etype]:
                raise BuildError(f"{hid}: role {role} not allowed for {etype}")
            for v in vals.split(","):
                if v not in ids:
                    raise BuildError(f"{hid}: unknown span id {v!r} in event {tid}")
                if ids[v]["label"] != ROLE_LABEL[role]:
                    raise BuildError(f"{hid}: {role}={v} is {ids[v]['label']}, want {ROLE_LABEL[role]}")
                args.setdefault(role, []).append(index[id(ids[v])])
        args_by_trigger[tid] = args
    events = []
    for i, s in enumerate(spans):
        if s["label"] in TRIGGERS:
            args = args_by_trigger.get(s["_id"], {}) if s["_id"] else {}
            events.append({"type": s["label"], "trigger": i,
                           "args": {r: sorted(v) for r, v in sorted(args.items())}})
    for s in spans:
        s.pop("_id")
    slug = outlet.lower().replace("the ", "").replace(" ", "")
    return {"id": hid, "title": title, "url": f"https://example.org/{slug}/{published.replace('-', '/')}/{hid}",
            "source": outlet, "published": published,
            "meta": {"fictional": True, "set": "dev"}, "text": text, "spans": spans, "events": events}


def parse_source(path):
    docs, cur = [], None
    for ln in path.read_text(encoding="utf-8").split("\n"):
        if ln.startswith("#"):
            continue
        if ln.startswith("=== "):
            if cur:
                docs.append(build_doc(*cur))
            cur = (ln[4:], [], [])
        elif ln.startswith("@"):
            cur[2].append(ln.strip())
        elif cur is not None:
            cur[1].append(ln)
    if cur:
        docs.append(build_doc(*cur))
    return docs


def validate(docs):
    """Check the gold file's invariants; returns a list of problems."""
    errs, seen = [], set()
    for d in docs:
        did, text = d["id"], d["text"]
        if did in seen:
            errs.append(f"{did}: duplicate id")
        seen.add(did)
        spans = d["spans"]
        prev_end = -1
        for i, s in enumerate(spans):
            if not (0 <= s["start"] < s["end"] <= len(text)):
                errs.append(f"{did}: span {i} out of range")
                continue
            if text[s["start"]:s["end"]] != s["text"]:
                errs.append(f"{did}: span {i} text {s['text']!r} != {text[s['start']:s['end']]!r}")
            if s["label"] not in FULL:
                errs.append(f"{did}: span {i} label {s['label']}")
            if s["start"] < prev_end:
                errs.append(f"{did}: span {i} {s['text']!r} overlaps the previous span")
            prev_end = max(prev_end, s["end"])
            a = s.get("attrs")
            if s["label"] == "CASUALTY":
                lo, hi = a.get("low"), a.get("high")
                if lo is not None and hi is not None and lo > hi:
                    errs.append(f"{did}: span {i} low > high")
                c = a.get("claimant")
                if c is not None:
                    if not (0 <= c < len(spans)) or spans[c]["label"] != "SOURCE":
                        errs.append(f"{did}: span {i} claimant {c} is not a SOURCE index")
                    elif c == 0:
                        # annotate.Casualty.Claimant is omitempty: index 0 would read as "unstated"
                        errs.append(f"{did}: span {i} claimant is index 0")
        for e in d["events"]:
            t = e["trigger"]
            if not (0 <= t < len(spans)) or spans[t]["label"] != e["type"]:
                errs.append(f"{did}: event trigger {t} does not match type {e['type']}")
            for role, idxs in e["args"].items():
                for j in idxs:
                    if not (0 <= j < len(spans)) or spans[j]["label"] != ROLE_LABEL[role]:
                        errs.append(f"{did}: event arg {role}={j} wrong")
        n = len(text.split())
        if not 100 <= n <= 250:
            errs.append(f"{did}: {n} words (want 100-250)")
    return errs


def stats(docs):
    from collections import Counter
    c, q, k, ev = Counter(), Counter(), Counter(), Counter()
    for d in docs:
        for s in d["spans"]:
            c[s["label"]] += 1
            if s["label"] == "CASUALTY":
                q[s["attrs"]["qualifier"]] += 1; k[s["attrs"]["kind"]] += 1
        for e in d["events"]:
            ev[e["type"]] += 1
    words = [len(d["text"].split()) for d in docs]
    print(f"articles {len(docs)}, words {sum(words)} (min {min(words)}, max {max(words)}), "
          f"spans {sum(c.values())}, events {sum(ev.values())} "
          f"(with arguments {sum(1 for d in docs for e in d['events'] if e['args'])})")
    print("spans:", dict(sorted(c.items())))
    print("events:", dict(sorted(ev.items())))
    print("qualifiers:", dict(sorted(q.items())), "kinds:", dict(sorted(k.items())))


def main():
    if "--check" in sys.argv:
        docs = [json.loads(l) for l in OUT.read_text(encoding="utf-8").splitlines() if l.strip()]
    else:
        docs = parse_source(SRC)
    errs = validate(docs)
    for e in errs:
        print("error:", e, file=sys.stderr)
    if errs:
        sys.exit(1)
    if "--check" not in sys.argv:
        with OUT.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
    stats(docs)


if __name__ == "__main__":
    main()
