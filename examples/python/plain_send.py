#!/usr/bin/env python3
"""Send a file (usually an image) or JSON messages over UDP, the tutorial's way.

    python3 plain_send.py HOST PORT [FILE] [--chunk 1024] [--wait-each] [--json TEXT ...] [--timeout 10]

Without --chunk, a file of at most 65,507 bytes goes as one datagram. Otherwise an 8-byte length header goes
first (struct.pack('l', n) on 64-bit Linux), then pieces of --chunk bytes (1024 by default). Each --json TEXT
goes as one datagram. --wait-each waits for the reply to every datagram before sending the next
(stop-and-wait); otherwise the replies are collected as they come and the rest awaited at the end.
"""
import argparse
import socket
import struct
import sys

HEADER = struct.Struct('<q')  # the bytes of struct.pack('l', n) on 64-bit Linux, on every platform
MAX_DATAGRAM = 65507


class Client:
    def __init__(self, host, port, wait_each, timeout):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)  # room for one reply per datagram
        self.address = (socket.gethostbyname(host), port)
        self.wait_each = wait_each
        self.timeout = timeout
        self.sent = 0
        self.replies = 0

    def send(self, datagram):
        self.sock.sendto(datagram, self.address)
        self.sent += 1
        if self.wait_each:
            self.await_replies()  # stop-and-wait: never more than one datagram unanswered
        else:
            while self.read_reply(0):  # take the replies that already came, without waiting
                pass

    def read_reply(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data, _ = self.sock.recvfrom(65535)
        except (socket.timeout, BlockingIOError):
            return False
        text = data.decode('utf-8', 'replace')
        if text.startswith('error'):
            sys.exit('%s:%d replied: %s' % (self.address[0], self.address[1], text))
        self.replies += 1
        return True

    def await_replies(self):
        while self.replies < self.sent:
            if not self.read_reply(self.timeout):
                sys.exit('no reply from %s:%d within %g s; the receiver may not be running, or datagrams were lost'
                         ' - plain mode cannot recover from loss; use udpix\'s native mode'
                         % (self.address[0], self.address[1], self.timeout))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('host')
    parser.add_argument('port', type=int)
    parser.add_argument('file', nargs='?')
    parser.add_argument('--chunk', type=int, help='piece size; forces a length header (default 1024 when needed)')
    parser.add_argument('--wait-each', action='store_true', help='wait for a reply after every datagram')
    parser.add_argument('--json', action='append', default=[], metavar='TEXT', help='a JSON message (repeatable)')
    parser.add_argument('--timeout', type=float, default=10.0, help='seconds to wait for a reply')
    args = parser.parse_args()
    if args.file is None and not args.json:
        parser.error('give a FILE, or --json TEXT')

    client = Client(args.host, args.port, args.wait_each, args.timeout)
    for text in args.json:
        client.send(text.encode('utf-8'))
    if args.file is not None:
        with open(args.file, 'rb') as f:
            data = f.read()
        if args.chunk is None and len(data) <= MAX_DATAGRAM:
            client.send(data)  # one-shot: the whole image in one datagram
        else:
            chunk = args.chunk or 1024
            client.send(HEADER.pack(len(data)))  # chunked: the length first ...
            for offset in range(0, len(data), chunk):
                client.send(data[offset:offset + chunk])  # ... then the pieces
    client.await_replies()
    print('sent %d datagrams, %d replies' % (client.sent, client.replies))


if __name__ == '__main__':
    main()
