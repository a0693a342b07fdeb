// A WebSocket that stands in for the peer in the transport's unit tests: it records how it was
// closed, delivers binary messages on demand, and can be accepted as a workerd socket is.
import type { WebSocketLike } from "../../src/transport/web_socket.ts";

/** A fake open socket. */
export class FakeSocket extends EventTarget implements WebSocketLike {
  binaryType = "blob";
  bufferedAmount = 0;
  readyState = 1;
  protocol = "";
  /** The close code it was closed with (1005 for none); `undefined` while open. */
  closedWith: number | undefined;
  /** What workerd's sockets need before use; nothing here. */
  accept(): void {}
  send(): void {}
  close(code?: number): void {
    this.closedWith = code ?? 1005;
    this.readyState = 3;
  }
  /** Delivers a binary message of `bytes` bytes. */
  deliver(bytes: number): void {
    this.dispatchEvent(new MessageEvent("message", { data: new ArrayBuffer(bytes) }));
  }
}
