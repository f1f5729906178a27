"""tls_relay.py - TLS in front of a plain test server, byte for byte
(Python standard library; run it with /usr/bin/python3).

    tls_relay.py --cert PEM --key PEM --upstream PORT --port-file FILE
                 [--max-seconds N]

Binds 127.0.0.1 port 0, writes the port to --port-file once listening (a
temporary file, then renamed) and serves until SIGTERM or --max-seconds
(default 120). Each TLS connection (ALPN http/1.1 only) gets its own plain
connection to 127.0.0.1:PORT (the fixture server), and bytes are relayed
both ways as they come, so whatever the fixture server misbehaves with
(a body after a 204, sent late) reaches the client over TLS exactly: a
server that writes late writes a late TLS record.
"""

import argparse
import os
import select
import signal
import socket
import ssl
import sys
import threading


def relay(tls_sock, plain):
    socks = [tls_sock, plain]
    while True:
        # Decrypted bytes OpenSSL already holds do not make the socket
        # readable: drain them first.
        if tls_sock.pending():
            ready = [tls_sock]
        else:
            ready, _, _ = select.select(socks, [], [], 30)
        if not ready:
            return
        for s in ready:
            try:
                data = s.recv(65536)
            except ssl.SSLWantReadError:
                continue
            except (OSError, ssl.SSLError):
                return
            if not data:
                return
            other = plain if s is tls_sock else tls_sock
            try:
                other.sendall(data)
            except (OSError, ssl.SSLError):
                return


def handle(ctx, client, upstream_port):
    try:
        with ctx.wrap_socket(client, server_side=True) as tls_sock:
            with socket.create_connection(("127.0.0.1", upstream_port),
                                          timeout=10) as plain:
                plain.settimeout(None)
                relay(tls_sock, plain)
    except (OSError, ssl.SSLError):
        pass
    finally:
        client.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--max-seconds", type=float, default=120)
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGALRM, lambda *_: os._exit(0))
    signal.setitimer(signal.ITIMER_REAL, args.max_seconds)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.set_alpn_protocols(["http/1.1"])
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, args.port_file)
    while True:
        client, _ = srv.accept()
        threading.Thread(target=handle, args=(ctx, client, args.upstream),
                         daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
