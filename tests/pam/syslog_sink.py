#!/usr/bin/env python3
"""Collects syslog datagrams sent to a Unix socket (a stand-in for /dev/log) into a text file.

usage: syslog_sink.py SOCKET OUTPUT      (writes "ready" as the output's first line once bound)
"""
import os
import socket
import sys


def main():
    path, output = sys.argv[1], sys.argv[2]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sink.bind(path)
    os.chmod(path, 0o666)
    with open(output, "a", encoding="utf-8", errors="replace") as out:
        out.write("ready\n")
        out.flush()
        while True:
            data = sink.recv(65536)
            out.write(data.decode("utf-8", errors="replace").rstrip("\0\n") + "\n")
            out.flush()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
