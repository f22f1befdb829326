import { test } from "node:test";
import assert from "node:assert/strict";
import { fetchCatalog, normalize, parseCatalog, searchActions } from "../../src/catalog.js";
import { contractCatalog } from "../browser/harness.mjs";
import { FakeConnection, flush } from "./fake-connection.mjs";

const wire = {
  actions: [
    [55, 2, 14, 0, "Generic reactions", "giggle"],
    [56, 3, 15, 1, "Farts poop and burps", "puke"],
    [17, 0, 0, 5, "Singing", '"Beatboxing!"'],
    [16, 0, 0, 0, "Hiccup", "hiccup"],
    "not a row",
  ],
  names: ["Ah-Bay", "Ah-Boh"],
};

test("the wire format becomes actions, categories in order and names; bad rows are skipped", () => {
  const catalog = parseCatalog(wire);
  assert.equal(catalog.actions.length, 4);
  assert.deepEqual(catalog.categories, ["Generic reactions", "Farts poop and burps", "Singing", "Hiccup"]);
  assert.equal(catalog.actions[0].code, "55/2/14/0");
  assert.deepEqual(catalog.names, ["Ah-Bay", "Ah-Boh"]);
});

test("a malformed catalog is refused", () => {
  assert.throws(() => parseCatalog(null), /malformed/);
  assert.throws(() => parseCatalog({ actions: [] }), /malformed/);
});

test("search needs every word, in the text, the category or the code", () => {
  const catalog = parseCatalog(wire);
  assert.deepEqual(searchActions(catalog, "GIGGLE").matches.map((a) => a.code), ["55/2/14/0"]);
  assert.deepEqual(searchActions(catalog, "beatboxing sing").matches.map((a) => a.code), ["17/0/0/5"]);
  assert.deepEqual(searchActions(catalog, "55/2/14").matches.map((a) => a.code), ["55/2/14/0"]);
  assert.equal(searchActions(catalog, "giggle puke").total, 0);
});

test("search filters by category and reports the total beyond the limit", () => {
  const catalog = parseCatalog(wire);
  assert.deepEqual(searchActions(catalog, "", "Hiccup").matches.map((a) => a.description), ["hiccup"]);
  const limited = searchActions(catalog, "", "", 2);
  assert.equal(limited.matches.length, 2);
  assert.equal(limited.total, 4);
});

test("normalize lowers case and turns punctuation into single spaces", () => {
  assert.equal(normalize('  "Ooooh, oh WAA!"  '), "ooooh oh waa");
  assert.equal(normalize("55/2/14"), "55/2/14");
});

test("the shipped catalog in the contract's shape: every entry searchable, by text and category", async () => {
  const catalog = parseCatalog(await contractCatalog());
  assert.ok(catalog.actions.length > 1700, `${catalog.actions.length} actions`);
  assert.ok(catalog.categories.length > 10);
  assert.equal(catalog.names.length, 129);
  assert.equal(searchActions(catalog, "", "", 5000).total, catalog.actions.length);
  const singing = searchActions(catalog, "", "Singing", 5000);
  assert.ok(singing.total > 0 && singing.matches.every((a) => a.category === "Singing"));
  const byCode = searchActions(catalog, "55/2/14/0");
  assert.equal(byCode.total, 1);
});

test("the catalog is fetched once per connection and shared", async () => {
  const connection = new FakeConnection();
  let calls = 0;
  connection.sendMessagePromise = async (msg) => {
    calls += 1;
    assert.deepEqual(msg, { type: "furby_connect/catalog" });
    return wire;
  };
  const [a, b] = await Promise.all([fetchCatalog(connection), fetchCatalog(connection)]);
  assert.equal(a, b);
  assert.equal(await fetchCatalog(connection), a);
  assert.equal(calls, 1);
  assert.equal(connection.listenerCount(), 0, "no listener left once loaded");
});

test("a failed fetch is forgotten, so the next one asks again", async () => {
  const connection = new FakeConnection();
  let calls = 0;
  connection.sendMessagePromise = async () => {
    calls += 1;
    if (calls === 1) throw { code: "unknown_command", message: "Unknown command." };
    return wire;
  };
  await assert.rejects(fetchCatalog(connection), (err) => err.code === "unknown_command");
  await flush();
  const catalog = await fetchCatalog(connection);
  assert.equal(catalog.actions.length, 4);
  assert.equal(calls, 2);
});

test("a fetch whose socket drops (and would never settle) fails and is forgotten", async () => {
  const connection = new FakeConnection();
  let calls = 0;
  connection.sendMessagePromise = () => {
    calls += 1;
    return calls === 1 ? new Promise(() => {}) : Promise.resolve(wire);
  };
  const first = fetchCatalog(connection);
  connection.drop();
  await assert.rejects(first, /connection lost/);
  assert.equal(connection.listenerCount(), 0);
  await flush();
  connection.restore();
  assert.equal((await fetchCatalog(connection)).names.length, 2);
  assert.equal(calls, 2);
});
