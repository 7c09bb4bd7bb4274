#!/usr/bin/env python3
"""The import benchmark's data and its baseline: the plain Python script a user could
write instead of `evident import`.

    import_bench.py gen N FILE     write N generated documents (about 1 KB, 10 spans each) as JSONL
    import_bench.py import FILE DB insert FILE's documents and spans into DB, an Evident
                                   database (run `evident import` on an empty file first so
                                   DB has Evident's schema and indexes)

The import is what a careful user would do with the standard library only: one
transaction, executemany, the text hash and span text computed per row as Evident stores
them. Spans go straight into the compact table behind the `spans` view (schema 9: label
and origin as ids, status as 1 = accepted), as Evident's importer writes them: through the
view's triggers the script took about twice as long, which would flatter Evident. It does
no validation beyond what SQLite's constraints do.
"""
import hashlib
import json
import random
import sqlite3
import sys
import time

WORDS = """troops shelled a village near the river on Sunday wounding several farmers and
killing at least nine people according to local officials while rebels said their fighters
had seized a checkpoint and that airstrikes continued through the night as families fled
toward the hills Genève-based monitors counted drone attacks on grain stores""".split()
LABELS = ["ACTOR", "TARGET", "LOCATION", "TIME", "WEAPON", "SOURCE", "VICTIM", "ATTACK", "DEATH", "INJURY"]


def gen(n, path):
    rnd = random.Random(1)
    with open(path, "w", encoding="utf-8") as out:
        for d in range(n):
            words, spans, cp = [], [], 0
            while cp < 1000:
                w = rnd.choice(WORDS)
                if words:
                    cp += 1
                if len(spans) < 10 and rnd.random() < 0.2:
                    spans.append({"start": cp, "end": cp + len(w), "label": LABELS[len(spans)]})
                words.append(w)
                cp += len(w)
            while len(spans) < 10:
                spans.append({"start": 0, "end": 1, "label": LABELS[len(spans)]})
            doc = {"id": "gen-%d" % d, "title": "Generated report %d" % d, "source": "Bench Wire",
                   "published": "2024-05-01", "text": " ".join(words), "spans": spans}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


def run_import(path, db):
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    cur = con.cursor()
    now = int(time.time() * 1e6)
    next_doc = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
    label_ids = dict(cur.execute("SELECT name, id FROM labels"))
    cur.execute("INSERT INTO names (name) VALUES ('import') ON CONFLICT (name) DO NOTHING")
    origin = cur.execute("SELECT id FROM names WHERE name = 'import'").fetchone()[0]
    insert_spans = ("INSERT INTO span_rows (doc, start, \"end\", label, st, origin, annotator, created, updated, text) "
                    "VALUES (?, ?, ?, ?, 1, %d, '', ?, ?, ?)" % origin)
    spans = []
    docs = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = d["text"]
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            doc_id = next_doc
            next_doc += 1
            cur.execute("INSERT INTO documents (id, external_id, title, source, url, published, status, added, sha256, text) "
                        "VALUES (?, ?, ?, ?, '', ?, 'new', ?, ?, ?)",
                        (doc_id, d["id"], d.get("title", ""), d.get("source", ""), d.get("published", ""), now, sha, text))
            for s in d.get("spans", []):
                spans.append((doc_id, s["start"], s["end"], label_ids[s["label"]], now, now, text[s["start"]:s["end"]]))
            if len(spans) > 10000:
                cur.executemany(insert_spans, spans)
                spans.clear()
            docs += 1
    cur.executemany(insert_spans, spans)
    con.commit()
    con.close()
    print("imported %d documents" % docs)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "import":
        run_import(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
