// A WebSocket echo server for the sandboxes of the smoke suite, in python3 with the standard
// library alone (the sandboxes have no `websockets` module): RFC 6455 as far as an echo needs it.
// It prints `listening` once bound, picks the subprotocol `chat` when offered, echoes each frame
// unmasked as it came (text, binary, continuation), answers a ping, and answers a close frame
// with the same code, printing `close <code>`. Run it as `python3 -u -c WS_ECHO_SERVER <port>`.

/** The server's script. */
export const WS_ECHO_SERVER: string = String.raw`
import base64, hashlib, socket, struct, sys, threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

def read(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

def handshake(conn):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            raise EOFError
        head += chunk
    lines = head.split(b"\r\n\r\n")[0].decode().split("\r\n")[1:]
    fields = {name.strip().lower(): value.strip() for name, _, value in (l.partition(":") for l in lines)}
    key = fields["sec-websocket-key"] + GUID
    accept = base64.b64encode(hashlib.sha1(key.encode()).digest()).decode()
    offered = [p.strip() for p in fields.get("sec-websocket-protocol", "").split(",")]
    chosen = "Sec-WebSocket-Protocol: chat\r\n" if "chat" in offered else ""
    conn.sendall((
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n{chosen}\r\n"
    ).encode())

def frames(conn):
    while True:
        first, second = read(conn, 2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", read(conn, 2))
        elif length == 127:
            (length,) = struct.unpack("!Q", read(conn, 8))
        mask = read(conn, 4) if second & 0x80 else bytes(4)
        yield first, bytes(b ^ mask[i % 4] for i, b in enumerate(read(conn, length)))

def frame(first, payload):
    n = len(payload)
    if n < 126:
        size = bytes([n])
    elif n < 65536:
        size = bytes([126]) + struct.pack("!H", n)
    else:
        size = bytes([127]) + struct.pack("!Q", n)
    return bytes([first]) + size + payload

def serve(conn):
    with conn:
        try:
            handshake(conn)
            for first, payload in frames(conn):
                opcode = first & 0x0F
                if opcode == 0x9:
                    conn.sendall(frame(0x8A, payload))
                elif opcode != 0xA:
                    conn.sendall(frame(first, payload))
                if opcode == 0x8:
                    code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                    print("close", code)
                    return
        except (EOFError, OSError):
            pass

listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
print("listening")
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
`;
