// The VS Code client of `scalec lsp`: starts the server (its path from the
// `scalec.path` setting), and shows the std-lib's `scalec-std:` documents
// that go-to-definition opens, read-only, through `scalec/stdFile`.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("scalec");
  const command = config.get("path") || "scalec";
  client = new LanguageClient(
    "scalec",
    "scalec",
    { command, args: ["lsp"] },
    { documentSelector: [{ language: "scale" }, { scheme: "scalec-std" }] }
  );
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider("scalec-std", {
      provideTextDocumentContent: (uri) =>
        client.sendRequest("scalec/stdFile", { path: uri.path }).then((text) => text || ""),
    })
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("scalec.path")) {
        vscode.window.showInformationMessage("scalec: reload the window to use the new scalec.path.");
      }
    })
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
