#!/usr/bin/env python3
"""Evident's example model in Python, standard library only (see README, "Your own model").

It learns the phrases annotators accepted in an Evident export and tags them wherever they
occur again; replace `tag` with your spaCy or Hugging Face model and keep the I/O.

    python3 tagger.py train EXPORT.jsonl > model.json
    python3 tagger.py --model model.json                # JSONL over stdin/stdout
    python3 tagger.py --model model.json --http 9090    # a Label Studio ML backend

Offsets are code points, as Python counts str indices: no conversion needed.
"""
import argparse
import http.server
import json
import sys


def train(path, name, version):
    phrases = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            for s in json.loads(line).get("spans", []):
                if s.get("status", "accepted") != "accepted":
                    continue
                key = s["text"].strip().lower()
                if key:
                    counts = phrases.setdefault(key, {})
                    counts[s["label"]] = counts.get(s["label"], 0) + 1
    return {"model": name, "model_version": version, "phrases": phrases}


def is_word(c):
    return c.isalnum() or c in "-'"


def tag(model, text):
    phrases = model["phrases"]
    longest = max((len(p.split()) for p in phrases), default=0)
    words, i = [], 0
    while i < len(text):
        if not is_word(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and is_word(text[j]):
            j += 1
        words.append((i, j))
        i = j
    spans, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            s, e = words[i][0], words[i + n - 1][1]
            counts = phrases.get(text[s:e].lower())
            if counts:
                best = sorted(counts, key=lambda l: (-counts[l], l))[0]
                spans.append({"start": s, "end": e, "label": best, "text": text[s:e],
                              "score": counts[best] / sum(counts.values())})
                i += n
                break
        else:
            i += 1
    return spans


def labels(model):
    return sorted({l for counts in model["phrases"].values() for l in counts})


def serve_jsonl(model):
    out = sys.stdout
    out.write(json.dumps({"model": model["model"], "model_version": model["model_version"],
                          "labels": labels(model)}) + "\n")
    out.flush()
    for line in sys.stdin:
        req = {}
        try:
            req = json.loads(line)
            reply = {"id": req["id"], "spans": tag(model, req["text"])}
        except Exception as e:  # one bad request must not end the model
            reply = {"id": req.get("id"), "error": str(e)}
        out.write(json.dumps(reply) + "\n")
        out.flush()


def serve_http(model, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def reply(self, obj):
            body = json.dumps(obj).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path == "/health":
                self.reply({"status": "UP", "model_class": model["model"]})
            else:
                self.send_error(404)

        def do_POST(self):
            req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/setup":
                self.reply({"model_version": model["model_version"]})
            elif self.path == "/predict":
                results = []
                for t in req["tasks"]:
                    regions = [{"from_name": "label", "to_name": "text", "type": "labels", "score": s["score"],
                                "value": {"start": s["start"], "end": s["end"], "text": s["text"],
                                          "labels": [s["label"]]}}
                               for s in tag(model, t["data"]["text"])]
                    results.append({"model_version": model["model_version"], "result": regions})
                self.reply({"results": results})
            else:
                self.send_error(404)

        def log_message(self, fmt, *args):
            sys.stderr.write(fmt % args + "\n")

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "train":
        p = argparse.ArgumentParser(prog="tagger.py train")
        p.add_argument("export")
        p.add_argument("--name", default="gazetteer")
        p.add_argument("--version", default="1")
        a = p.parse_args(sys.argv[2:])
        json.dump(train(a.export, a.name, a.version), sys.stdout)
        return
    p = argparse.ArgumentParser(prog="tagger.py")
    p.add_argument("--model", default="model.json")
    p.add_argument("--http", type=int, default=0, help="serve the Label Studio ML backend protocol on this port")
    a = p.parse_args()
    with open(a.model, encoding="utf-8") as f:
        model = json.load(f)
    if a.http:
        serve_http(model, a.http)
    else:
        serve_jsonl(model)


if __name__ == "__main__":
    main()
