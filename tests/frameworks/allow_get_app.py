"""An app that supports GET and says so (`Allow: GET`), but answers HEAD
with 405, on Python's http.server (/usr/bin/python3): the case
tests/frameworks/allow-get. Listens on 127.0.0.1 and a free port and prints
"Serving HTTP on 127.0.0.1 port N" once it listens.

  /only-get    OPTIONS: 200, Allow: GET; HEAD and other methods: 405,
               Allow: GET. Allow is accurate; the missing HEAD is a defect
               of its own (head-differs-from-get).
  /lists-head  OPTIONS: 200, Allow: GET, HEAD; HEAD nevertheless 405: Allow
               lists a method that is refused (allow-inconsistent)."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALLOW = {"/only-get": "GET", "/lists-head": "GET, HEAD"}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))

    def _send(self, status, body=b"", ctype=None):
        self.send_response(status)
        allow = ALLOW.get(self.path)
        if allow is not None and status in (200, 405) and self.command != "GET":
            self.send_header("Allow", allow)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        if self.path not in ALLOW:
            return self._send(404, b'{"error": "no such resource"}',
                              "application/json")
        body = json.dumps({"id": 1, "path": self.path}).encode()
        self._send(200, body, "application/json")

    def do_OPTIONS(self):
        self._send(200 if self.path in ALLOW else 404)

    def refuse(self):
        if self.path not in ALLOW:
            return self._send(404)
        self._send(405, b'{"error": "method not allowed"}', "application/json")

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = refuse


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print("Serving HTTP on 127.0.0.1 port %d" % server.server_port, flush=True)
    server.serve_forever()
