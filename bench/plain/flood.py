#!/usr/bin/env python3
"""Floods a plain-mode receiver on loopback for a bounded time; the figures in docs/PLAIN_MODE.md ("Hostile input").

usage: flood.py PORT SECONDS MODE SEED   (MODE: headers = random 8-byte datagrams, tiny = random 1-byte ones,
mixed = random 1..64 bytes). Sends to 127.0.0.1 only, as fast as one socket can, reads whatever replies come,
and prints what it sent and received. Pair it with: ./udpix serve --plain --port PORT --out DIR 2> log
"""
import random
import socket
import sys
import time

port, seconds, mode, seed = int(sys.argv[1]), min(float(sys.argv[2]), 60.0), sys.argv[3], int(sys.argv[4])
rnd = random.Random(seed)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
s.setblocking(False)
sent = sent_bytes = replies = reply_bytes = 0


def drain():
    global replies, reply_bytes
    while True:
        try:
            d = s.recv(65535)
        except (BlockingIOError, ConnectionRefusedError):
            return
        replies += 1
        reply_bytes += len(d)


end = time.time() + seconds
while time.time() < end:
    for _ in range(256):
        if mode == 'headers':
            d = rnd.getrandbits(64).to_bytes(8, 'little')
        elif mode == 'tiny':
            d = bytes([rnd.getrandbits(8)])
        else:
            d = rnd.getrandbits(8 * 64).to_bytes(64, 'little')[:rnd.randint(1, 64)]
        try:
            s.sendto(d, ('127.0.0.1', port))
            sent += 1
            sent_bytes += len(d)
        except BlockingIOError:
            pass
    drain()
time.sleep(0.5)
drain()
print('mode=%s sent=%d sent_bytes=%d replies=%d reply_bytes=%d' % (mode, sent, sent_bytes, replies, reply_bytes))
