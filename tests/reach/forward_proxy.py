"""forward_proxy.py - a small forwarding HTTP proxy for the tests, on
127.0.0.1 only (Python standard library; run it with /usr/bin/python3).

    forward_proxy.py --port-file FILE --log FILE [--auth USER:PASS]
                     [--max-seconds N]

Binds 127.0.0.1 port 0, writes the port and a newline to --port-file once
listening (to a temporary file, then renamed), and serves until SIGTERM or
--max-seconds (default 120). Each client connection is one thread.

What it does with a request:
  GET http://host:port/path HTTP/1.1   (absolute form: plain http:// through
      the proxy) - forwarded to host:port in origin form with the client's
      headers minus Proxy-*, "Connection: close" added; the answer is relayed
      byte for byte until the origin closes, then the client connection is
      closed too.
  CONNECT host:port HTTP/1.1   (https:// through the proxy) - answered
      "200 Connection established", then bytes are relayed both ways until
      either side closes.
Only 127.0.0.1 / localhost may be the destination (anything else: 403), so
a test can never send traffic off the machine. With --auth, a request
without "Proxy-Authorization: Basic base64(USER:PASS)" gets 407 with a
Proxy-Authenticate challenge.

--log FILE: one line per request, flushed at once:
    METHOD<TAB>TARGET[<TAB>Proxy-Authorization: VALUE]
so a test can prove what passed through (and that credentials were sent).
"""

import argparse
import base64
import os
import select
import signal
import socket
import sys
import threading

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
LOG_LOCK = threading.Lock()


def read_head(sock):
    """Reads up to the end of a request head; returns (head bytes, rest)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > 1 << 20:
            return None, b""
    head, rest = data.split(b"\r\n\r\n", 1)
    return head, rest


def log_line(path, text):
    with LOG_LOCK:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text + "\n")


def relay(a, b):
    """Copies bytes both ways until one side closes."""
    socks = [a, b]
    while True:
        ready, _, _ = select.select(socks, [], [], 30)
        if not ready:
            return
        for s in ready:
            try:
                data = s.recv(65536)
            except OSError:
                return
            if not data:
                return
            other = b if s is a else a
            try:
                other.sendall(data)
            except OSError:
                return


def split_hostport(text, default_port):
    host, _, port = text.rpartition(":")
    if not host:
        return text, default_port
    try:
        return host, int(port)
    except ValueError:
        return None, None


def handle(client, args):
    try:
        head, rest = read_head(client)
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        method, target, version = parts
        fields = []
        auth = None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "proxy-authorization":
                auth = value.strip()
                continue
            if name.lower().startswith("proxy-") or name.lower() == "connection":
                continue
            fields.append(line)
        entry = method + "\t" + target
        if auth is not None:
            entry += "\tProxy-Authorization: " + auth
        log_line(args.log, entry)
        if args.auth:
            want = "Basic " + base64.b64encode(args.auth.encode()).decode()
            if auth != want:
                client.sendall(
                    b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                    b'Proxy-Authenticate: Basic realm="test proxy"\r\n'
                    b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                return
        if method == "CONNECT":
            host, port = split_hostport(target, 443)
        elif target.startswith("http://"):
            hostport, _, path = target[len("http://"):].partition("/")
            host, port = split_hostport(hostport, 80)
            path = "/" + path
        else:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        if host not in ALLOWED_HOSTS:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        with upstream:
            upstream.settimeout(None)
            if method == "CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                out = "\r\n".join(
                    [method + " " + path + " " + version] + fields +
                    ["Connection: close"]) + "\r\n\r\n"
                upstream.sendall(out.encode("latin-1") + rest)
            relay(client, upstream)
    except OSError:
        pass
    finally:
        client.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--auth")
    p.add_argument("--max-seconds", type=float, default=120)
    args = p.parse_args()
    open(args.log, "w").close()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGALRM, lambda *_: os._exit(0))
    signal.setitimer(signal.ITIMER_REAL, args.max_seconds)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, args.port_file)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=handle, args=(client, args), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
