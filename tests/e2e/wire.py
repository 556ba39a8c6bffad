#!/usr/bin/env python3
"""wire.py - a minimal bridge-protocol v1 client for the end-to-end tests (see docs: wire protocol).

Usage:
  wire.py SOCKET auth USER          password read from stdin (first line); prints the answer
  wire.py SOCKET raw HEX            sends HEX bytes as they are (a whole frame, header included)
  wire.py SOCKET slow               sends half a frame header, then waits for the daemon to give up

Prints one line: "AUTH status=N flags=N seconds=N message=..." or "ERROR code=N name=... message=..."
or "CLOSED" (the daemon closed without a frame) or "DENIED <errno text>" (connect() refused).
Exit status 0 when a frame or a close was read, 3 when connect() failed.
"""
import socket
import struct
import sys

ERRORS = {1: "BAD_VERSION", 2: "BAD_TYPE", 3: "MALFORMED", 4: "TOO_LARGE", 5: "FORBIDDEN",
          6: "TIMEOUT", 7: "SHUTTING_DOWN"}


def s(text):
    b = text.encode()
    return struct.pack(">H", len(b)) + b


def auth_frame(user, password):
    body = bytes([1, 0x01, 1]) + struct.pack(">I", 10000) + s(user) + s(password) + s("e2e") + s("") + s("")
    return struct.pack(">I", len(body)) + body


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_str(body, pos):
    (n,) = struct.unpack_from(">H", body, pos)
    return body[pos + 2:pos + 2 + n].decode(errors="replace"), pos + 2 + n


def main():
    path, mode = sys.argv[1], sys.argv[2]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(15)
    try:
        sock.connect(path)
    except OSError as e:
        print("DENIED", e.strerror)
        return 3
    try:
        if mode == "auth":
            sock.sendall(auth_frame(sys.argv[3], sys.stdin.readline().rstrip("\n")))
        elif mode == "raw":
            sock.sendall(bytes.fromhex(sys.argv[3]))
        elif mode == "slow":
            sock.sendall(b"\x00\x00")
    except (ConnectionResetError, BrokenPipeError):
        pass    # the daemon may answer (e.g. FORBIDDEN) and close before the request is written
    try:
        header = read_exact(sock, 4)
    except ConnectionResetError:
        header = None
    except socket.timeout:
        print("NO-ANSWER")
        return 0
    if header is None:
        print("CLOSED")
        return 0
    (length,) = struct.unpack(">I", header)
    body = read_exact(sock, length) or b""
    if len(body) >= 2 and body[1] == 0x7F:
        (code,) = struct.unpack_from(">H", body, 2)
        msg, _ = read_str(body, 4)
        print(f"ERROR code={code} name={ERRORS.get(code, '?')} message={msg}")
    elif len(body) >= 8 and body[1] == 0x02:
        status, flags = body[2], body[3]
        (seconds,) = struct.unpack_from(">I", body, 4)
        msg, _ = read_str(body, 8)
        print(f"AUTH status={status} flags={flags} seconds={seconds} message={msg}")
    else:
        print("UNKNOWN", body.hex())
    return 0


if __name__ == "__main__":
    sys.exit(main())
