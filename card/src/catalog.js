/**
 * The action and name catalog (`furby_connect/catalog`), fetched once per page and connection and
 * shared by every card, plus the search behind the action picker.
 */

let cached = null; // {connection, promise}

/** Turn the wire format (rows of [input, index, subindex, specific, category, description]). */
export function parseCatalog(result) {
  if (!result || !Array.isArray(result.actions) || !Array.isArray(result.names)) {
    throw new Error("malformed catalog");
  }
  const actions = [];
  const categories = [];
  const seen = new Set();
  for (const row of result.actions) {
    if (!Array.isArray(row) || row.length < 6) continue;
    const [input, index, subindex, specific, category, description] = row;
    const cat = String(category ?? "");
    const text = String(description ?? "");
    actions.push({
      input,
      index,
      subindex,
      specific,
      category: cat,
      description: text,
      code: `${input}/${index}/${subindex}/${specific}`,
      haystack: normalize(`${text} ${cat} ${input}/${index}/${subindex}/${specific}`),
    });
    if (!seen.has(cat)) {
      seen.add(cat);
      categories.push(cat);
    }
  }
  return { actions, categories, names: result.names.map(String) };
}

/** Lower-case, punctuation (but not "/") to spaces, single spaces. */
export function normalize(text) {
  return String(text).toLowerCase().replace(/[^\p{L}\p{N}/]+/gu, " ").trim();
}

/**
 * Actions whose description, category or code hold every word of `text`, in catalog order,
 * optionally only in `category`. Returns at most `limit` matches and the total count.
 */
export function searchActions(catalog, text, category = "", limit = 50) {
  const words = normalize(text).split(" ").filter(Boolean);
  const matches = [];
  let total = 0;
  for (const action of catalog.actions) {
    if (category && action.category !== category) continue;
    if (!words.every((word) => action.haystack.includes(word))) continue;
    total += 1;
    if (matches.length < limit) matches.push(action);
  }
  return { matches, total };
}

/**
 * The catalog for `connection`: one `furby_connect/catalog` call per page and connection, shared
 * by all cards. A call that fails (or whose socket drops, where it would never settle) is
 * forgotten, so the next card that needs the catalog asks again.
 */
export function fetchCatalog(connection) {
  if (cached && cached.connection === connection) return cached.promise;
  const entry = { connection };
  entry.promise = new Promise((resolve, reject) => {
    const lost = () => {
      connection.removeEventListener("disconnected", lost);
      reject(new Error("connection lost while loading the catalog"));
    };
    connection.addEventListener("disconnected", lost);
    connection.sendMessagePromise({ type: "furby_connect/catalog" }).then(
      (result) => {
        connection.removeEventListener("disconnected", lost);
        try {
          resolve(parseCatalog(result));
        } catch (err) {
          reject(err);
        }
      },
      (err) => {
        connection.removeEventListener("disconnected", lost);
        reject(err);
      },
    );
  });
  entry.promise.catch(() => {
    if (cached === entry) cached = null;
  });
  cached = entry;
  return entry.promise;
}
