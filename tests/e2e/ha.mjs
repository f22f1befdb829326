// Talking to the demo's Home Assistant from node: login without the login page, REST calls,
// waiting on conditions. No wall-clock assertions: every wait polls a condition until a deadline.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export class Timeout extends Error {}

/** Poll `probe` (async, returns a truthy value when done) every `every` ms until `ms` pass. */
export async function waitFor(what, probe, { ms = 30000, every = 250 } = {}) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Timeout(`timed out after ${ms / 1000} s waiting for ${what}` +
        (last ? ` (last error: ${last.message})` : ""));
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Read `key=value` lines (the demo's credentials file). */
export function readKeyValues(path) {
  const out = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

export class HomeAssistant {
  constructor(base, username, password) {
    this.base = base;
    this.clientId = `${base}/`;
    this.username = username;
    this.password = password;
    this.token = null;
  }

  /** An authorization code from the login flow (docs/home_assistant.md §8-style login without a page). */
  async authCode() {
    const flow = await this.#json("POST", "/auth/login_flow", {
      client_id: this.clientId, handler: ["homeassistant", null], redirect_uri: this.clientId,
    }, false);
    const done = await this.#json("POST", `/auth/login_flow/${flow.flow_id}`, {
      client_id: this.clientId, username: this.username, password: this.password,
    }, false);
    if (done.type !== "create_entry") throw new Error(`login refused: ${JSON.stringify(done)}`);
    return done.result;
  }

  /** An access token (30 min) for the REST calls below. */
  async login() {
    const code = await this.authCode();
    const response = await fetch(`${this.base}/auth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: this.clientId }),
    });
    if (!response.ok) throw new Error(`/auth/token: HTTP ${response.status}`);
    this.token = (await response.json()).access_token;
  }

  /** The URL that logs a browser in (the frontend's auth callback), keeping the token stored. */
  async browserLoginUrl(path = "/") {
    const state = Buffer.from(JSON.stringify({ hassUrl: this.base, clientId: this.clientId }))
      .toString("base64");
    return `${this.base}${path}?auth_callback=1&code=${await this.authCode()}` +
      `&state=${encodeURIComponent(state)}&storeToken=true`;
  }

  async #json(method, path, body, auth = true) {
    const headers = { "content-type": "application/json" };
    if (auth) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.base}${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  get(path) { return this.#json("GET", path); }

  /** Call a service; with `response` true return its service_response. */
  async call(domain, service, data = {}, { response = false } = {}) {
    const path = `/api/services/${domain}/${service}${response ? "?return_response" : ""}`;
    const result = await this.#json("POST", path, data);
    return response ? result.service_response : result;
  }

  state(entityId) { return this.get(`/api/states/${entityId}`); }

  /** POST a file to /api/file_upload (multipart, field `file`) as the frontend does; file_id. */
  async uploadFile(name, bytes) {
    const form = new FormData();
    form.append("file", new Blob([bytes]), name);
    const response = await fetch(`${this.base}/api/file_upload`, {
      method: "POST", headers: { authorization: `Bearer ${this.token}` }, body: form,
    });
    if (!response.ok) throw new Error(`/api/file_upload: HTTP ${response.status}`);
    return (await response.json()).file_id;
  }

  /** Config entries of a domain (REST: title, state, entry_id, ...). */
  entries(domain) { return this.get(`/api/config/config_entries/entry?domain=${domain}`); }

  /** The virtual toy's own state and last commands (the demo component's inspect service). */
  inspect(address, writes = 50) {
    return this.call("furby_demo", "inspect", { address, writes }, { response: true });
  }

  /** True once Home Assistant answers and reports itself running. */
  async running() {
    try {
      return (await this.get("/api/config")).state === "RUNNING";
    } catch {
      return false;
    }
  }
}

/** The TCP listeners of the given pids, as "address:port" strings (from `ss -ltnp`). */
export function listenersOf(pids) {
  const out = execFileSync("ss", ["-Htlnp"], { encoding: "utf8" });
  const wanted = new Set(pids.map(String));
  return out.split("\n").filter((line) => {
    const found = [...line.matchAll(/pid=(\d+),/g)].map((m) => m[1]);
    return found.some((pid) => wanted.has(pid));
  }).map((line) => line.trim().split(/\s+/)[3]);
}

/** The pids of a process group. */
export function groupPids(pgid) {
  try {
    return execFileSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" })
      .split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
