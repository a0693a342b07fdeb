/**
 * One TCP connection made from inside a sandbox's network: a small relay process
 * ({@linkcode RELAY_SCRIPT}) started in the sandbox's namespaces with `nsenter`, which connects
 * to `host:port` there and copies its stdin to the connection and the connection to its stdout.
 * Pipes carry backpressure both ways: a reader that stops reading the relay's stdout stops it
 * reading the connection, and so the server writing.
 *
 * The relay reports on stderr, one line each: `connected` or `failed <reason>` first, then `eof`
 * once the server has finished sending (before the stdout closes). A stdout that ends without
 * `eof` means the connection broke (reset).
 *
 * @module
 */

/**
 * The relay, as a Perl one-liner. Arguments: host, port. A child copies stdin to the socket and
 * half-closes it at the end of stdin (it holds neither stdout nor stderr, so both end with the
 * parent); the parent copies the socket to stdout, says `eof` and
 * closes stdout at the socket's end (then waits for the child), or kills the child and exits 5
 * when the socket fails.
 */
export const RELAY_SCRIPT: string = [
  "use Socket qw(SOCK_STREAM); use IO::Socket::IP; $SIG{PIPE} = q(IGNORE);",
  "my ($h, $p) = @ARGV;",
  "my $s = IO::Socket::IP->new(PeerHost => $h, PeerPort => $p, Type => SOCK_STREAM);",
  "if (!$s) { my $e = $@ || qq($!); syswrite(STDERR, qq(failed $e\\n)); exit 1 }",
  "syswrite(STDERR, qq(connected\\n)); binmode STDIN; binmode STDOUT; binmode $s;",
  "my $k = fork(); if (!defined $k) { exit 2 }",
  "if ($k == 0) { close STDOUT; close STDERR; my $b; while (1) { my $n = sysread(STDIN, $b, 65536); last unless $n;",
  "  my $o = 0; while ($o < $n) { my $w = syswrite($s, $b, $n - $o, $o); exit 3 unless defined $w;",
  "  $o += $w } } shutdown($s, 1); exit 0 }",
  "close STDIN; my $b; my $n;",
  "while (1) { $n = sysread($s, $b, 65536); last unless $n; my $o = 0;",
  "  while ($o < $n) { my $w = syswrite(STDOUT, $b, $n - $o, $o);",
  "  if (!defined $w) { kill 9, $k; exit 4 } $o += $w } }",
  "if (!defined $n) { kill 9, $k; waitpid($k, 0); exit 5 }",
  "syswrite(STDERR, qq(eof\\n)); close STDOUT; waitpid($k, 0); exit 0;",
].join(" ");

/** A connected relay. */
export interface TcpRelay {
  /** What the server sent. */
  readonly output: ReadableStream<Uint8Array>;
  /** What goes to the server; closing it half-closes the connection. */
  readonly input: WritableStream<Uint8Array>;
  /** Resolves once the server has finished sending (`true`), or the connection broke (`false`). */
  readonly finished: Promise<boolean>;
  /** Resolves once the relay has ended. */
  readonly ended: Promise<void>;
  /** Ends the connection at once (the kernel closes the socket). */
  kill(): void;
}

/**
 * Connects to `host:port` from inside a sandbox's network.
 *
 * @param enter The `nsenter` prefix of the sandbox's network.
 * @param perl The host's `perl`.
 * @param host The host to connect to, as the sandbox resolves it.
 * @param port The port.
 * @returns The relay, or why the connection failed.
 */
export async function connectRelay(
  enter: readonly string[],
  perl: string,
  host: string,
  port: number,
): Promise<TcpRelay | { error: string }> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(enter[0]!, {
      args: [...enter.slice(1), perl, "-e", RELAY_SCRIPT, host, `${port}`],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return { error: `cannot start the relay: ${(error as Error)?.message ?? error}` };
  }
  const lines = reportLines(child.stderr);
  const first = await lines.next();
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Ended already.
    }
  };
  const ended = child.status.then(() => {});
  if (first.value !== "connected") {
    kill();
    await ended;
    await child.stdout.cancel().catch(() => {});
    await child.stdin.close().catch(() => {});
    const said = typeof first.value === "string" ? first.value : "";
    return {
      error: said.startsWith("failed ") ? said.slice(7) : "the relay ended before connecting",
    };
  }
  const finished = lines.next().then(({ value }) => value === "eof");
  return { output: child.stdout, input: child.stdin, finished, ended, kill };
}

/** The relay's report lines, one at a time. */
async function* reportLines(stderr: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const text of stderr.pipeThrough(new TextDecoderStream())) {
    pending += text;
    for (let at = pending.indexOf("\n"); at >= 0; at = pending.indexOf("\n")) {
      yield pending.slice(0, at);
      pending = pending.slice(at + 1);
    }
  }
}
