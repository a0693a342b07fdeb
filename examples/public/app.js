// The page's script, plain DOM and no build step. It follows a sandbox's log with EventSource and
// runs commands with fetch, both through the sandbox routes at /api/sandboxes.
//
// EventSource cannot send an Authorization header, so the log request carries the token as
// `?token=`; fetch sends `Authorization: Bearer <token>`. When the connection drops, EventSource
// reconnects on its own with the id of the last entry as `Last-Event-ID`, and the server resumes
// after it: no entry is lost or repeated.

const target = document.forms.namedItem("target");
const exec = document.forms.namedItem("exec");
const logs = document.getElementById("logs");
const status = document.getElementById("status");
const output = document.getElementById("output");
const exit = document.getElementById("exit");

const params = new URLSearchParams(location.search);
target.token.value = params.get("token") ?? "";
target.sandbox.value = params.get("sandbox") ?? "";

/** The open EventSource, if any. */
let source;

function route(path) {
  return `/api/sandboxes/${encodeURIComponent(target.sandbox.value.trim())}${path}`;
}

function headers(more) {
  return { authorization: `Bearer ${target.token.value.trim()}`, ...more };
}

/** The error message of a refused request: the routes answer `{ error: { code, message } }`. */
async function refusal(response) {
  const body = await response.json().catch(() => undefined);
  return body?.error?.message ?? `HTTP ${response.status}`;
}

function follow() {
  source?.close();
  logs.replaceChildren();
  const query = new URLSearchParams({ sources: "stdout,stderr", token: target.token.value.trim() });
  const events = new EventSource(`${route("/logs")}?${query}`);
  let opens = 0;
  events.addEventListener("open", () => {
    opens++;
    status.textContent = opens === 1 ? "following" : `following (reconnected ${opens - 1}×)`;
  });
  events.addEventListener("log", (event) => {
    const entry = JSON.parse(event.data);
    const item = document.createElement("li");
    item.className = entry.source;
    item.dataset.id = event.lastEventId;
    item.textContent = entry.text;
    logs.append(item);
  });
  events.addEventListener("error", (event) => {
    if (event.data) {
      status.textContent = `error: ${JSON.parse(event.data).error?.message ?? event.data}`;
    } else if (events.readyState === EventSource.CLOSED) {
      status.textContent = "refused: check the token and the sandbox name";
      stop();
    } else {
      status.textContent = "disconnected, reconnecting…";
    }
  });
  source = events;
  target.follow.textContent = "stop";
}

function stop() {
  source?.close();
  source = undefined;
  target.follow.textContent = "follow log";
}

target.addEventListener("submit", (event) => {
  event.preventDefault();
  if (source) {
    stop();
    status.textContent = "not following";
  } else {
    follow();
  }
});

target.create.addEventListener("click", async () => {
  const name = target.sandbox.value.trim();
  const response = await fetch("/api/sandboxes", {
    method: "POST",
    headers: headers({ "content-type": "application/json" }),
    body: JSON.stringify({ name, image: "alpine" }),
  });
  status.textContent = response.ok
    ? `created ${name} (${(await response.json()).status})`
    : `create failed: ${await refusal(response)}`;
});

/** Splits a byte stream into its lines. */
async function* lines(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const parts = (rest + value).split("\n");
    rest = parts.pop();
    yield* parts.filter(Boolean);
  }
  if (rest) yield rest;
}

/** Shows one event of the exec route's NDJSON stream. */
function show(message) {
  if (message.type === "started") exit.textContent = `running, pid ${message.pid}`;
  if (message.type === "exited") exit.textContent = `exit ${message.code}`;
  if (message.type === "error") exit.textContent = `failed: ${message.error.message}`;
  if (message.type === "stdout" || message.type === "stderr") {
    const span = document.createElement("span");
    span.className = message.type;
    span.textContent = message.data;
    output.append(span);
  }
}

exec.addEventListener("submit", async (event) => {
  event.preventDefault();
  output.replaceChildren();
  exit.textContent = "starting…";
  try {
    const response = await fetch(route("/exec"), {
      method: "POST",
      headers: headers({ "content-type": "application/json", accept: "application/x-ndjson" }),
      body: JSON.stringify({ cmd: "sh", args: ["-c", exec.command.value] }),
    });
    if (!response.ok) throw new Error(await refusal(response));
    for await (const line of lines(response.body)) show(JSON.parse(line));
  } catch (error) {
    exit.textContent = `failed: ${error.message}`;
  }
});

// The preview panel: a page written and served in the sandbox by one exec stream (the server
// lives while the stream is open), then shown in an iframe through the preview route. An iframe
// cannot send an Authorization header, so it carries the token as `?token=`, which the app strips
// before the request enters the sandbox.

const preview = document.forms.namedItem("preview");
const previewStatus = document.getElementById("preview-status");
const frame = document.getElementById("frame");
/** The port the app's `ports` policy opens (examples/_app.ts). */
const PREVIEW_PORT = 8080;
const PAGE = "<h1>Hello from the sandbox</h1><p>served by python3 -m http.server</p>";
/** Stops the running preview server, if any. */
let previewServer;

/** Starts the server: its page is `$0`, so no quoting is needed. */
function serve(signal) {
  const script = `mkdir -p preview && printf '%s' "$0" > preview/index.html && ` +
    `exec python3 -m http.server ${PREVIEW_PORT} -b 127.0.0.1 -d preview`;
  return fetch(route("/exec"), {
    method: "POST",
    headers: headers({ "content-type": "application/json", accept: "application/x-ndjson" }),
    body: JSON.stringify({ cmd: "sh", args: ["-c", script, PAGE] }),
    signal,
  });
}

/** Follows the server's exec stream until it ends, and says so. */
async function watchServer(response) {
  for await (const line of lines(response.body)) {
    const message = JSON.parse(line);
    if (message.type === "exited") previewStatus.textContent = `server exited ${message.code}`;
    if (message.type === "error") previewStatus.textContent = `server: ${message.error.message}`;
  }
}

/** Asks the preview route until the server answers (502 `connection_refused` while it starts). */
async function whenUp(url, signal) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await fetch(url, { headers: headers(), signal });
    if (response.ok) return await response.body.cancel();
    const message = await refusal(response);
    if (response.status !== 502) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server did not start");
}

preview.addEventListener("submit", async (event) => {
  event.preventDefault();
  previewServer?.abort();
  const controller = new AbortController();
  previewServer = controller;
  previewStatus.textContent = "starting the server…";
  try {
    const response = await serve(controller.signal);
    if (!response.ok) throw new Error(await refusal(response));
    watchServer(response).catch(() => {});
    const url = route(`/ports/${PREVIEW_PORT}/`);
    await whenUp(url, controller.signal);
    frame.onload = () => previewStatus.textContent = `showing ${url}`;
    frame.src = `${url}?${new URLSearchParams({ token: target.token.value.trim() })}`;
  } catch (error) {
    if (!controller.signal.aborted) previewStatus.textContent = `failed: ${error.message}`;
  }
});

preview.stop.addEventListener("click", () => {
  previewServer?.abort();
  previewServer = undefined;
  frame.removeAttribute("src");
  previewStatus.textContent = "no server";
});

if (target.sandbox.value) follow();
