#!/usr/bin/env python3
"""A python3-websockets peer for tradewire's interoperability tests (127.0.0.1 only).

  ws_peer.py echo-server  [--tls CERT KEY]   echo server that also obeys "cmd:" messages
  ws_peer.py drive-server [--close-code N]   sends a battery of messages to an echo
                                             client, checks every echo, pings, closes
  ws_peer.py client URL [--ca CA]            runs the battery against an echo server

Servers print "PORT <n>" on stdout once listening. drive-server and client print "OK"
and exit 0 when every check passed, or "FAIL: <why>" and exit 1.

Commands understood by echo-server (text messages):
  cmd:fragments:<count>:<size>:<text|binary>  a message of <size> bytes in <count> fragments
  cmd:big:<size>                              a binary message of <size> bytes
  cmd:ping:<payload>                          ping; answer "pong:<payload>" when it comes back
  cmd:close:<code>:<reason>                   close with that code and reason
Payload bytes are the deterministic patterns of text_payload() and binary_payload().
"""

import asyncio
import ssl
import sys

import websockets

MAX_SIZE = 256 * 1024 * 1024


def text_payload(n):
    return bytes((i * 7 + 13) % 94 + 33 for i in range(n)).decode("ascii")


def binary_payload(n):
    return bytes((i * 31 + 7) & 0xFF for i in range(n))


def chunks(data, count):
    """data in `count` fragments (the last ones may be empty)."""
    size = -(-len(data) // count)
    return [data[i * size:(i + 1) * size] for i in range(count)]


def battery():
    """(kind, payload) pairs, every size class."""
    items = [("text", "hello"), ("binary", bytes(range(256))), ("text", ""), ("binary", b"")]
    for n in (125, 126, 127, 65535, 65536, 65537):
        items.append(("text", text_payload(n)))
        items.append(("binary", binary_payload(n)))
    items.append(("binary", binary_payload(8 * 1024 * 1024)))
    items.append(("text", text_payload(3 * 1024 * 1024 + 5)))
    return items


async def echo_handler(ws, path=None):
    try:
        async for message in ws:
            if isinstance(message, str) and message.startswith("cmd:"):
                parts = message.split(":", 4)
                if parts[1] == "fragments":
                    count, size, kind = int(parts[2]), int(parts[3]), parts[4]
                    data = text_payload(size) if kind == "text" else binary_payload(size)
                    await ws.send(chunks(data, count))
                elif parts[1] == "big":
                    await ws.send(binary_payload(int(parts[2])))
                elif parts[1] == "ping":
                    payload = message.split(":", 2)[2]
                    waiter = await ws.ping(payload.encode())
                    await waiter
                    await ws.send("pong:" + payload)
                elif parts[1] == "close":
                    await ws.close(int(parts[2]), message.split(":", 3)[3])
                    return
                continue
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def run_battery(ws):
    for kind, payload in battery():
        await ws.send(payload)
        echo = await ws.recv()
        if type(echo) is not type(payload) or echo != payload:
            return "echo of a %s message of %d bytes differs" % (kind, len(payload))
    # A fragmented message, text and binary.
    for data in (text_payload(100000), binary_payload(300000)):
        await ws.send(chunks(data, 7))
        echo = await ws.recv()
        if echo != data:
            return "echo of a fragmented message differs"
    waiter = await ws.ping(b"are you there")
    try:
        await asyncio.wait_for(waiter, 10)
    except asyncio.TimeoutError:
        return "no pong"
    return None


async def drive_handler(ws, close_code, done):
    try:
        problem = await run_battery(ws)
        if problem is None:
            await ws.close(close_code, "drive done")
            if ws.close_code != close_code:
                problem = "client answered close %s with %s" % (close_code, ws.close_code)
    except websockets.ConnectionClosed as e:
        problem = "connection closed early: %s" % e
    done.set_result(problem)


async def serve(handler, tls):
    context = None
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls[0], tls[1])
    async with websockets.serve(handler, "127.0.0.1", 0, max_size=MAX_SIZE, ping_interval=None,
                                compression=None, ssl=context, max_queue=64) as server:
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


async def drive_server(close_code):
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    async def handler(ws, path=None):
        await drive_handler(ws, close_code, done)

    async with websockets.serve(handler, "127.0.0.1", 0, max_size=MAX_SIZE, ping_interval=None,
                                compression=None) as server:
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        problem = await asyncio.wait_for(done, 120)
    print("OK" if problem is None else "FAIL: " + problem, flush=True)
    return 0 if problem is None else 1


async def client(url, ca):
    context = None
    if url.startswith("wss:"):
        context = ssl.create_default_context(cafile=ca)
    async with websockets.connect(url, max_size=MAX_SIZE, ping_interval=None, compression=None,
                                  ssl=context) as ws:
        problem = await run_battery(ws)
        if problem is None:
            await ws.close(4001, "bye")
            if ws.close_code != 4001:
                problem = "server answered close 4001 with %s" % ws.close_code
    print("OK" if problem is None else "FAIL: " + problem, flush=True)
    return 0 if problem is None else 1


def main(argv):
    mode = argv[1]
    if mode == "echo-server":
        tls = argv[argv.index("--tls") + 1:argv.index("--tls") + 3] if "--tls" in argv else None
        asyncio.run(serve(echo_handler, tls))
        return 0
    if mode == "drive-server":
        code = int(argv[argv.index("--close-code") + 1]) if "--close-code" in argv else 4000
        return asyncio.run(drive_server(code))
    if mode == "client":
        ca = argv[argv.index("--ca") + 1] if "--ca" in argv else None
        return asyncio.run(client(argv[2], ca))
    print("unknown mode " + mode, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
