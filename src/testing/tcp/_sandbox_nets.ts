/**
 * Each sandbox's network, as one microVM has one network stack: under `namespaces` and
 * `bubblewrap`, one network namespace per sandbox (loopback only, up), held by a small process
 * and joined with `nsenter` by every command and every port tunnel of the sandbox. A server one
 * command starts is reachable from the sandbox's other commands and from its tunnels, and
 * nothing on the host's network is. Under `none` commands share the host's network, so there is
 * no sandbox network to join ({@linkcode SandboxNets.enter} says why).
 *
 * The holder ({@linkcode HOLDER_SCRIPT}) runs until its stdin closes: when the sandbox stops or
 * is removed, when the cloud closes, or when the cloud's process dies.
 *
 * @module
 */

import type { HostInfo } from "../exec/_isolation.ts";

/**
 * The holder, as a Perl one-liner: brings the loopback interface up (`SIOCGIFFLAGS`, then
 * `SIOCSIFFLAGS` with `IFF_UP | IFF_RUNNING`; `unshare` leaves it down), prints its pid, and
 * waits for the end of its stdin.
 */
export const HOLDER_SCRIPT: string = [
  "use Socket; socket(my $s, AF_INET, SOCK_DGRAM, 0) or die qq(socket: $!);",
  "my $r = pack(q(a16 s x22), q(lo), 0); ioctl($s, 0x8913, $r) or die qq(SIOCGIFFLAGS: $!);",
  "my $f = unpack(q(x16 s), $r);",
  "ioctl($s, 0x8914, pack(q(a16 s x22), q(lo), $f | 0x41)) or die qq(SIOCSIFFLAGS: $!);",
  "syswrite(STDOUT, qq($$\\n)); close STDOUT; 1 while sysread(STDIN, my $b, 64);",
].join(" ");

/** One open port tunnel, as {@linkcode SandboxNets.tunnels} lists it. */
export interface TunnelInfo {
  /** The id of the sandbox it reaches into. */
  readonly sandbox: string;
  /** The host it connected to, as the sandbox resolves it. */
  readonly host: string;
  /** The port. */
  readonly port: number;
}

interface Tunnel extends TunnelInfo {
  readonly close: () => void;
}

/** One sandbox's network namespace. */
interface Holder {
  readonly child: Deno.ChildProcess;
  /** The holder's pid, the target of `nsenter`. */
  readonly pid: number;
}

/** The network namespaces of one local cloud's sandboxes. */
export class SandboxNets {
  readonly #host: HostInfo;
  readonly #holders = new Map<string, Promise<Holder>>();
  readonly #tunnels = new Set<Tunnel>();
  #closed = false;

  /**
   * @param host The tools and isolation mode.
   */
  constructor(host: HostInfo) {
    this.#host = host;
  }

  /** Why sandboxes have no network of their own here, or `null` when they do. */
  get shortfall(): string | null {
    const { isolation, tools } = this.#host;
    if (isolation === "none") {
      return 'the local cloud runs commands without isolation ("none"), on the host\'s own ' +
        "network, so it cannot tell the sandbox's servers from the host's; port tunnels need " +
        'isolation "namespaces" or "bubblewrap"';
    }
    if (!tools.nsenter) return "util-linux `nsenter` is not installed on the local cloud's host";
    if (!tools.perl) return "`perl` is not installed on the local cloud's host";
    if (isolation === "namespaces" && !tools.unshare) {
      return "util-linux `unshare` is not installed on the local cloud's host";
    }
    return null;
  }

  /**
   * The command prefix that joins the sandbox's user and network namespaces (creating them on
   * first use), or `null` when sandboxes have no network of their own here.
   *
   * @param sandbox The sandbox id.
   * @returns `nsenter` and its arguments, to be followed by the command.
   */
  async enter(sandbox: string): Promise<string[] | null> {
    if (this.shortfall !== null || this.#closed) return null;
    let holder = this.#holders.get(sandbox);
    if (!holder) {
      holder = this.#start();
      this.#holders.set(sandbox, holder);
      holder.catch(() => {
        if (this.#holders.get(sandbox) === holder) this.#holders.delete(sandbox);
      });
    }
    const { pid } = await holder;
    return [
      this.#host.tools.nsenter!,
      "--target",
      `${pid}`,
      "--user",
      "--net",
      "--preserve-credentials",
      "--",
    ];
  }

  /**
   * Registers an open tunnel, closed with its sandbox's network.
   *
   * @param sandbox The sandbox id.
   * @param where The host and port it connected to.
   * @param close Ends it.
   * @returns A function that unregisters it.
   */
  track(sandbox: string, where: { host: string; port: number }, close: () => void): () => void {
    const tunnel: Tunnel = { sandbox, ...where, close };
    this.#tunnels.add(tunnel);
    if (this.#closed) close();
    return () => this.#tunnels.delete(tunnel);
  }

  /**
   * The open tunnels, oldest first.
   *
   * @returns One entry per tunnel.
   */
  tunnels(): TunnelInfo[] {
    return [...this.#tunnels].map(({ sandbox, host, port }) => ({ sandbox, host, port }));
  }

  /**
   * Closes a sandbox's tunnels and ends its namespace holder (its processes are killed by their
   * owner); the next command gets a fresh network, as a restarted microVM does.
   *
   * @param sandbox The sandbox id.
   */
  async drop(sandbox: string): Promise<void> {
    for (const tunnel of [...this.#tunnels]) if (tunnel.sandbox === sandbox) tunnel.close();
    const holder = this.#holders.get(sandbox);
    this.#holders.delete(sandbox);
    if (holder) await stop(holder);
  }

  /** Ends every holder. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const tunnel of [...this.#tunnels]) tunnel.close();
    const holders = [...this.#holders.values()];
    this.#holders.clear();
    await Promise.all(holders.map(stop));
  }

  async #start(): Promise<Holder> {
    const { tools, isolation } = this.#host;
    const wrapper = isolation === "bubblewrap" && !tools.unshare
      ? [
        tools.bwrap!,
        "--unshare-user",
        "--uid",
        "0",
        "--gid",
        "0",
        "--unshare-net",
        "--ro-bind",
        "/",
        "/",
        "--die-with-parent",
        "--",
      ]
      : [tools.unshare!, "--user", "--map-root-user", "--net", "--"];
    const child = new Deno.Command(wrapper[0]!, {
      args: [...wrapper.slice(1), tools.perl!, "-e", HOLDER_SCRIPT],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const said = await new Response(child.stdout).text();
    const pid = Number(said.trim());
    if (!Number.isInteger(pid) || pid <= 0) {
      const why = (await new Response(child.stderr).text()).trim();
      await stop(Promise.resolve({ child, pid: 0 }));
      throw new Error(`cannot make the sandbox's network namespace: ${why || "the holder failed"}`);
    }
    child.stderr.cancel().catch(() => {});
    return { child, pid };
  }
}

async function stop(holder: Promise<Holder>): Promise<void> {
  let child: Deno.ChildProcess;
  try {
    child = (await holder).child;
  } catch {
    return;
  }
  await child.stdin.close().catch(() => {});
  try {
    child.kill("SIGKILL");
  } catch {
    // Ended already.
  }
  await child.status;
}
