// Build the card into one committed ES module, or (--check) verify the committed one is current.
//
//   node card/build.mjs          write custom_components/furby_connect/frontend/furby-connect-card.js
//   node card/build.mjs --check  build in memory and fail if the committed file differs
//
// esbuild is pinned in package.json/package-lock.json, so the same sources give the same bytes.
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "card/src/furby-connect-card.js");
const outfile = join(root, "custom_components/furby_connect/frontend/furby-connect-card.js");

const BANNER = "/* furby-connect-card: built from card/src by `npm run build` (esbuild); do not edit. */";

async function bundle() {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    target: "es2021",
    platform: "browser",
    minify: true,
    legalComments: "eof",
    banner: { js: BANNER },
    charset: "utf8",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

const text = await bundle();
if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = await readFile(outfile, "utf8");
  } catch {
    // missing: reported below
  }
  if (committed !== text) {
    console.error(`bundle check: FAILED: ${outfile} differs from a fresh build (run: npm run build)`);
    process.exit(1);
  }
  console.log(`bundle check: committed bundle equals a fresh build (${text.length} bytes)`);
} else {
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, text);
  console.log(`built ${outfile} (${text.length} bytes)`);
}
