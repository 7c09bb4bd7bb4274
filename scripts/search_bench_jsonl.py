#!/usr/bin/env python3
"""Writes the documents and spans of a database as an `evident import` JSONL file.

Used to time `evident import` as a process on the search benchmark's corpus
(BenchmarkSearch100k keeps its database at SEARCH_BENCH_DB):

    python3 scripts/search_bench_jsonl.py build/search100k.db build/search100k.jsonl
"""
import json
import sqlite3
import sys


def main(db_path, out_path):
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    spans = {}
    for doc, start, end, label in db.execute('SELECT doc, start, "end", label FROM spans ORDER BY doc, start, "end", id'):
        spans.setdefault(doc, []).append({"start": start, "end": end, "label": label})
    with open(out_path, "w", encoding="utf-8") as out:
        for doc_id, ext, title, text in db.execute("SELECT id, external_id, title, text FROM documents ORDER BY id"):
            doc = {"id": ext, "title": title, "text": text, "spans": spans.get(doc_id, [])}
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: search_bench_jsonl.py DB OUT.jsonl")
    main(sys.argv[1], sys.argv[2])
