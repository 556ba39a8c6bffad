#!/usr/bin/env python3
"""A scripted stand-in for the obactors daemon, for the PAM module's tests (docs/PROTOCOL.md).

Listens on a Unix socket; for each connection reads one frame, checks it strictly as an
AUTH_REQUEST, records what it saw as JSON lines in --log (never the password: only its length
and whether it equals --expect-password; with --expect-frame, whether the raw request frame
equals the given hex), then behaves as --mode says:

  respond     answer AUTH_RESPONSE with --status/--offline/--seconds/--message (default)
  hang        read the request, never answer, keep the connection open
  close       read the request, close without answering
  garbage     answer random bytes
  oversize    answer a header announcing 1 MiB
  badversion  answer a well-formed AUTH_RESPONSE with version 2
  trailing    answer a valid AUTH_RESPONSE plus one trailing byte
  error       answer an ERROR frame (--error-code)
  forbid      on connect, before reading anything: ERROR FORBIDDEN, then close (a refused peer uid)
  full        listen with a backlog of 0 that the fake fills itself, never accept: a client's
              blocking connect() waits for room that never comes
The log's first line is {"event": "ready"} once the socket listens.
"""
import argparse
import json
import os
import socket
import struct
import sys
import threading
import time

STATUSES = ["SUCCESS", "WRONG_PASSWORD", "LOCKED", "NOT_CACHED", "EXPIRED",
            "UNAVAILABLE", "BUSY", "ERROR", "TIMED_OUT"]
MAX_BODY = 8192
LIMITS = {"user": 256, "password": 1024, "service": 256, "rhost": 256, "tty": 256}
ERR_MALFORMED, ERR_TOO_LARGE = 3, 4

log_lock = threading.Lock()


def log(path, **event):
    with log_lock, open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(event) + "\n")


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def string(value):
    raw = value.encode("utf-8")
    return struct.pack(">H", len(raw)) + raw


def frame(body):
    return struct.pack(">I", len(body)) + body


def response(args, version=1):
    status = STATUSES.index(args.status)
    body = struct.pack(">BBBBI", version, 0x02, status, 1 if args.offline else 0, args.seconds)
    body += string(args.message)
    success = status == 0
    for field in (args.gecos, args.shell, args.home):
        body += string(field if success else "")
    return frame(body)


def error_frame(code, message):
    return frame(struct.pack(">BBH", 1, 0x7F, code) + string(message))


def parse_request(body):
    """Strict AUTH_REQUEST parse; returns (fields, None) or (None, reason)."""
    if len(body) < 7 or body[0] != 1 or body[1] != 0x01:
        return None, "bad version/type/size"
    flags, timeout_ms = struct.unpack(">BI", body[2:7])
    if flags & ~1:
        return None, "reserved flag bits"
    pos, fields = 7, {}
    for name in ("user", "password", "service", "rhost", "tty"):
        if len(body) - pos < 2:
            return None, f"{name}: length past end"
        (n,) = struct.unpack(">H", body[pos:pos + 2])
        pos += 2
        if n > LIMITS[name] or len(body) - pos < n:
            return None, f"{name}: over limit or past end"
        raw = body[pos:pos + n]
        pos += n
        if b"\0" in raw:
            return None, f"{name}: NUL"
        try:
            fields[name] = raw.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return None, f"{name}: invalid UTF-8"
    if pos != len(body):
        return None, "trailing bytes"
    fields["allow_offline"] = bool(flags & 1)
    fields["timeout_ms"] = timeout_ms
    return fields, None


def serve(conn, args):
    with conn:
        log(args.log, event="connect")
        if args.mode == "forbid":
            conn.sendall(error_frame(5, "peer uid not allowed"))
            log(args.log, event="done", mode="forbid")
            return
        header = recv_exact(conn, 4)
        if header is None:
            log(args.log, event="eof")
            return
        (length,) = struct.unpack(">I", header)
        if length == 0 or length > MAX_BODY:
            log(args.log, event="too_large", length=length)
            conn.sendall(error_frame(ERR_TOO_LARGE, "frame too large"))
            return
        body = recv_exact(conn, length)
        if body is None:
            log(args.log, event="truncated")
            return
        if args.expect_frame is not None:
            log(args.log, event="frame", matches=(header + body).hex() == args.expect_frame.lower())
        fields, reason = parse_request(body)
        if fields is None:
            log(args.log, event="malformed", reason=reason)
            conn.sendall(error_frame(ERR_MALFORMED, "malformed"))
            return
        password = fields.pop("password")
        fields["password_len"] = len(password.encode("utf-8"))
        if args.expect_password is not None:
            fields["password_ok"] = password == args.expect_password
        del password
        log(args.log, event="request", **fields)

        mode = args.mode
        if mode == "respond":
            conn.sendall(response(args))
        elif mode == "hang":
            time.sleep(3600)
        elif mode == "close":
            pass
        elif mode == "garbage":
            conn.sendall(os.urandom(64))
        elif mode == "oversize":
            conn.sendall(struct.pack(">I", 1 << 20) + b"\x01\x02")
        elif mode == "badversion":
            conn.sendall(response(args, version=2))
        elif mode == "trailing":
            data = response(args)
            conn.sendall(struct.pack(">I", len(data) - 4 + 1) + data[4:] + b"\x00")
        elif mode == "error":
            conn.sendall(error_frame(args.error_code, "scripted error"))
        log(args.log, event="done", mode=mode)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--socket", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--status", choices=STATUSES, default="SUCCESS")
    p.add_argument("--offline", action="store_true")
    p.add_argument("--seconds", type=int, default=0)
    p.add_argument("--message", default="")
    p.add_argument("--gecos", default="Test User")
    p.add_argument("--shell", default="/bin/bash")
    p.add_argument("--home", default="/home/test")
    p.add_argument("--mode", default="respond",
                   choices=["respond", "hang", "close", "garbage", "oversize", "badversion", "trailing", "error",
                            "forbid", "full"])
    p.add_argument("--error-code", type=int, default=7)
    p.add_argument("--expect-password")
    p.add_argument("--expect-frame", help="hex of the exact request frame expected (logged as matches: bool)")
    args = p.parse_args()

    try:
        os.unlink(args.socket)
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    server.bind(args.socket)
    os.umask(old)
    if args.mode == "full":
        server.listen(0)
        filler = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        filler.connect(args.socket)   # the one connection a backlog of 0 admits; never accepted
        log(args.log, event="ready", pid=os.getpid())
        while True:
            time.sleep(3600)
    server.listen(16)
    log(args.log, event="ready", pid=os.getpid())
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn, args), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
