"""app.py - a FastAPI app with the anti-patterns apilint exists to find, for
tests/import/fastapi.sh. FastAPI generates its own /openapi.json from these
handlers; apilint imports that and lints the running app.

  /usr/bin/python3 app.py PORT_FILE LOG_FILE

Binds 127.0.0.1 port 0 itself and writes the port to PORT_FILE once it
listens (no fixed port, no sleep); logs "METHOD PATH" of every request to
LOG_FILE, so the test can prove what was (not) sent.
"""
import socket
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

app = FastAPI(title="apilint FastAPI fixture", version="1.0")
LOG = open(sys.argv[2], "a", buffering=1)


@app.middleware("http")
async def log_requests(request: Request, call_next):
    LOG.write("%s %s\n" % (request.method, request.url.path))
    return await call_next(request)


@app.get("/users", operation_id="listUsers")
def list_users(limit: int = 10):
    # anti-pattern: a 200 whose body says it failed
    return {"success": False, "error": "database unavailable"}


@app.get("/users/{user_id}", operation_id="getUser")
def get_user(user_id: int):
    return {"id": user_id, "name": "hak"}


@app.get("/me", operation_id="whoAmI", responses={401: {"description": "not logged in"}})
def who_am_i():
    # anti-pattern: 401 without a WWW-Authenticate challenge
    return JSONResponse({"detail": "not logged in"}, status_code=401)


@app.get("/reports", operation_id="listReports", responses={429: {"description": "slow down"}})
def list_reports():
    # anti-pattern: 429 without Retry-After
    return JSONResponse({"detail": "too many requests"}, status_code=429)


@app.get("/crash", operation_id="crash")
def crash():
    # anti-pattern: a 500 (not documented) that leaks a stack trace
    return PlainTextResponse(
        'Traceback (most recent call last):\n'
        '  File "/srv/app/main.py", line 42, in crash\n'
        'ZeroDivisionError: division by zero\n',
        status_code=500)


@app.get("/health", operation_id="health")
def health():
    return {"status": "up"}


@app.post("/users", operation_id="createUser", status_code=201)
def create_user(body: dict):
    # anti-pattern (201 without Location) that the import must not send:
    # POST is switched off by default
    return {"id": 7}


def main():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    async def started():
        with open(sys.argv[1] + ".tmp", "w") as f:
            f.write("%d\n" % port)
        import os
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])

    orig = server.startup

    async def startup(sockets=None):
        await orig(sockets=sockets)
        await started()

    server.startup = startup
    server.run(sockets=[sock])


main()
