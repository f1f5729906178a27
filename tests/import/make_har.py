"""make_har.py - writes HAR files for tests/import/har.sh and hostile.sh
(and bench/har.sh): recorded exchanges whose answers have known
anti-patterns, with the secrets a real recording carries.

  make_har.py small OUT.har         the entries har.sh checks one by one
  make_har.py many N OUT.har        N entries cycling through the same answers
  make_har.py bigbody MB OUT.har    one answer with an MB-megabyte base64 body
"""
import base64
import json
import sys

SECRETS = {
    "bearer": "har-test-bearer-1a2b3c",
    "cookie": "har-test-cookie-4d5e6f",
    "setcookie": "har-test-setcookie-7a8b9c",
    "query": "har-test-query-0d1e2f",
    "apikey": "har-test-apikey-3a4b5c",
}


def entry(method, url, status, reason, headers, text=None, b64=False,
          mime="application/json"):
    content = {"size": len(text or ""), "mimeType": mime}
    if text is not None:
        if b64:
            content["text"] = base64.b64encode(text.encode()).decode()
            content["encoding"] = "base64"
        else:
            content["text"] = text
    return {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 3.25,
        "request": {
            "method": method, "url": url, "httpVersion": "HTTP/1.1",
            "headers": [
                {"name": "Authorization", "value": "Bearer " + SECRETS["bearer"]},
                {"name": "Cookie", "value": "sid=" + SECRETS["cookie"]},
                {"name": "X-Api-Key", "value": SECRETS["apikey"]},
                {"name": "Accept", "value": "application/json"},
            ],
            "queryString": [], "cookies": [{"name": "sid", "value": SECRETS["cookie"]}],
            "headersSize": -1, "bodySize": 0,
        },
        "response": {
            "status": status, "statusText": reason, "httpVersion": "HTTP/1.1",
            "headers": [{"name": k, "value": v} for k, v in headers],
            "cookies": [], "content": content, "redirectURL": "",
            "headersSize": -1, "bodySize": -1,
        },
        "cache": {}, "timings": {"send": 0, "wait": 3, "receive": 0},
    }


API = "https://api.example.invalid"
JSON = ("Content-Type", "application/json")


def small():
    return [
        # error-body-on-success, echoing the bearer token (masked)
        entry("GET", API + "/v1/users?api_key=" + SECRETS["query"], 200, "OK",
              [JSON], '{"success": false, "error": "token %s expired"}' % SECRETS["bearer"]),
        # unauthorized-without-challenge, base64 body, a Set-Cookie
        entry("GET", API + "/v1/me", 401, "Unauthorized",
              [JSON, ("Set-Cookie", "sid=%s; Path=/; HttpOnly" % SECRETS["setcookie"])],
              '{"error": "who are you"}', b64=True),
        # clean
        entry("GET", API + "/v1/health", 200, "OK", [JSON], '{"status": "up"}'),
        # a 304 whose recorded content is the browser's cached copy: quiet
        entry("GET", API + "/v1/cached", 304, "Not Modified", [("ETag", '"x"')],
              '{"cached": "copy"}'),
        # a 204 the browser recorded without its stray bytes: quiet
        entry("DELETE", API + "/v1/users/1", 204, "No Content", []),
        # 204 with Content-Length: 5 in its head: judged by the head
        entry("PUT", API + "/v1/users/2", 204, "No Content", [("Content-Length", "5")]),
        # noise: skipped
        entry("GET", API + "/favicon.ico", 404, "Not Found", [], ""),
        entry("GET", "data:image/png;base64,iVBORw0KGgo=", 200, "OK", [], ""),
        entry("GET", "chrome-extension://abcdef/script.js", 200, "OK", [], ""),
        entry("GET", API + "/v1/blocked", 0, "", [], None),
        # outside --base-url https://api.example.invalid/v1
        entry("GET", "https://cdn.example.invalid/app.js", 500, "Internal Server Error", [], ""),
    ]


def many(n):
    kinds = [
        ("GET", "/v1/users/%d", 200, "OK", [JSON], '{"success": false, "error": "x"}'),
        ("GET", "/v1/me/%d", 401, "Unauthorized", [JSON], '{"error": "no"}'),
        ("POST", "/v1/things/%d", 201, "Created", [JSON], '{"id": 1}'),
        ("GET", "/v1/ok/%d", 200, "OK", [JSON], '{"ok": true}'),
        ("GET", "/v1/busy/%d", 429, "Too Many Requests", [JSON], '{"error": "wait"}'),
    ]
    out = []
    for i in range(n):
        m, p, s, r, h, t = kinds[i % len(kinds)]
        out.append(entry(m, API + p % i, s, r, h, t))
    return out


def bigbody(mb):
    text = '{"success": false, "data": "' + "A" * (mb * 1024 * 1024) + '"}'
    return [entry("GET", API + "/v1/export", 200, "OK", [JSON], text, b64=True)]


def main():
    what = sys.argv[1]
    if what == "small":
        entries, out = small(), sys.argv[2]
    elif what == "many":
        entries, out = many(int(sys.argv[2])), sys.argv[3]
    else:
        entries, out = bigbody(int(sys.argv[2])), sys.argv[3]
    har = {"log": {"version": "1.2", "creator": {"name": "make_har.py", "version": "1"},
                   "entries": entries}}
    with open(out, "w") as f:
        json.dump(har, f, indent=2)


main()
