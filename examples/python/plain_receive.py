#!/usr/bin/env python3
"""Receive images, files and JSON messages over UDP, the tutorial's way, but per sender and with limits.

    python3 plain_receive.py PORT OUTDIR [--count N] [--host 127.0.0.1]

A datagram that is a whole image is saved as one file; a JSON list or dict is appended to
OUTDIR/messages.jsonl; an 8-byte datagram is a length header (struct.pack('l', n) on 64-bit Linux) and the
sender's next datagrams are the item's pieces. Every datagram is answered with b'received' (or b'error: ...').
PORT 0 picks a free port; the first line printed says which.
"""
import argparse
import json
import os
import socket
import struct

HEADER = struct.Struct('<q')  # the bytes of struct.pack('l', n) on 64-bit Linux, on every platform
MAX_SIZE = 1 << 30            # refuse headers above 1 GiB instead of waiting for them forever
IMAGE_SIGNATURES = [(b'\xff\xd8\xff', 'jpg'), (b'\x89PNG\r\n\x1a\n', 'png'), (b'GIF87a', 'gif'),
                    (b'GIF89a', 'gif'), (b'BM', 'bmp')]


def image_extension(data):
    if len(data) < 16:  # no real image is that small; a length header is 8 bytes
        return None
    if data[:4] == b'RIFF' and data[8:12] == b'WEBP':
        return 'webp'
    for signature, extension in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return extension
    return None


def is_json(data):
    try:
        return isinstance(json.loads(data.decode('utf-8')), (dict, list))
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are both ValueErrors
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('port', type=int)
    parser.add_argument('outdir')
    parser.add_argument('--count', type=int, help='exit after this many items (default: run forever)')
    parser.add_argument('--host', default='127.0.0.1')
    args = parser.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)  # room for pieces from clients that do not wait
    sock.bind((args.host, args.port))
    print('listening on %s:%d' % sock.getsockname(), flush=True)

    pending = {}  # sender address -> [declared length, bytes so far]: two senders never mix
    saved = 0

    def save(data, extension):
        nonlocal saved
        saved += 1
        path = os.path.join(args.outdir, 'item-%04d.%s' % (saved, extension))
        with open(path, 'wb') as f:
            f.write(data)
        print('saved', path, len(data), 'bytes', flush=True)

    while args.count is None or saved < args.count:
        data, addr = sock.recvfrom(65535)
        reply = b'received'
        if addr in pending:  # an item is open for this sender: whatever this looks like, it is data
            expected, buffer = pending[addr]
            if len(buffer) + len(data) > expected:
                del pending[addr]
                reply = b'error: datagram overruns the declared length %d; item discarded' % expected
            else:
                buffer += data
                if len(buffer) == expected:
                    del pending[addr]
                    save(bytes(buffer), image_extension(buffer) or 'bin')
        elif image_extension(data):
            save(data, image_extension(data))
        elif is_json(data):
            # Raw newlines in JSON can only be whitespace, so replacing them keeps one message per line.
            with open(os.path.join(args.outdir, 'messages.jsonl'), 'ab') as f:
                f.write(data.replace(b'\r', b' ').replace(b'\n', b' ') + b'\n')
            saved += 1
        elif len(data) == HEADER.size:
            (length,) = HEADER.unpack(data)
            if 0 < length <= MAX_SIZE:
                pending[addr] = [length, bytearray()]
            else:
                reply = b'error: declared length %d is not in 1..%d' % (length, MAX_SIZE)
        else:
            reply = b'error: not an image, JSON, or an 8-byte length header'
        sock.sendto(reply, addr)


if __name__ == '__main__':
    main()
