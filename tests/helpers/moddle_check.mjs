// Import BPMN files with bpmn-moddle and report warnings as JSON (one object per file).
// Usage: node moddle_check.mjs FILE...   (run with NODE_PATH or from a folder with node_modules)
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const nodeDir = process.env.BPMN_CX_NODE_DIR;
const require = createRequire(path.join(nodeDir || process.cwd(), "noop.js"));
const mod = await import(require.resolve("bpmn-moddle"));
const BpmnModdle = mod.default || mod.BpmnModdle || mod;

const moddle = new BpmnModdle();
const results = [];
for (const file of process.argv.slice(2)) {
  const xml = await readFile(file, "utf8");
  try {
    const { warnings } = await moddle.fromXML(xml, "bpmn:Definitions");
    results.push({ file, warnings: (warnings || []).map((w) => String(w.message || w)) });
  } catch (err) {
    results.push({ file, error: String((err && err.message) || err), warnings: [] });
  }
}
process.stdout.write(JSON.stringify(results));
