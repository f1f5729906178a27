"""A small Flask app (Debian's python3-flask, run with /usr/bin/python3) for
tests/frameworks/flask: ordinary routes whose automatic OPTIONS and HEAD
answers are Flask's own. Listens on 127.0.0.1 and a free port (port 0) and
prints "Serving HTTP on 127.0.0.1 port N" once it listens, as
`python3 -m http.server` does, so tests/frameworks/run_case.sh reads every
server's port the same way."""
import sys

from flask import Flask, jsonify, request
from werkzeug.serving import make_server

app = Flask(__name__)


@app.get("/users")
def list_users():
    return jsonify([{"id": 1, "name": "kim"}])


@app.post("/users")
def create_user():
    # Validates its input: a malformed body gets 400 with what was wrong.
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return jsonify(error="'name' must be a string"), 400
    return jsonify(id=2, name=body["name"]), 201, {"Location": "/users/2"}


@app.post("/crash")
def crash():
    # Trusts its input: {"name": 123} and {} end in an unhandled
    # AttributeError/KeyError, which Flask answers with 500.
    body = request.get_json()
    return jsonify(id=3, name=body["name"].upper()), 201, {"Location": "/crash/3"}


@app.post("/empty")
def empty_created():
    # An empty 201: Flask labels the zero bytes text/html.
    return "", 201, {"Location": "/empty/1"}


@app.get("/page")
def page():
    # HTML whatever the Accept says.
    return "<p>hello</p>"


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("Serving HTTP on 127.0.0.1 port %d" % server.server_port, flush=True)
    sys.stdout.flush()
    server.serve_forever()
