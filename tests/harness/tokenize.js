// Tokenizes .scale files with VS Code's own TextMate engine (vscode-textmate
// and the Oniguruma regex engine, as npm installs them from the lock file)
// and the grammar in editors/vscode, printing each token's scopes:
//
//   node tests/harness/tokenize.js FILE...
//
// Output, per file: `== FILE`, then one line per token that isn't only
// whitespace: `LINE:COLUMN TEXT  scope scope ...` (the root scope left out).
"use strict";

const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..", "..");
const vsctm = require(path.join(root, "node_modules", "vscode-textmate"));
const oniguruma = require(path.join(root, "node_modules", "vscode-oniguruma"));

async function main() {
  const wasm = fs.readFileSync(path.join(root, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== "source.scale") return null;
      const file = path.join(root, "editors", "vscode", "syntaxes", "scale.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const grammar = await registry.loadGrammar("source.scale");
  for (const file of process.argv.slice(2)) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    const out = [`== ${path.relative(root, file)}`];
    let state = vsctm.INITIAL;
    lines.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, state);
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (!text.trim()) continue;
        const scopes = t.scopes.filter((s) => s !== "source.scale");
        out.push(`${i + 1}:${t.startIndex + 1} ${JSON.stringify(text)}  ${scopes.join(" ")}`);
      }
      state = r.ruleStack;
    });
    process.stdout.write(out.join("\n") + "\n");
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
