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

if (target.sandbox.value) follow();
