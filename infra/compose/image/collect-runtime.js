#!/usr/bin/env node
// Build-stage helper of the service Dockerfiles (services/<name>/Dockerfile):
// copies what a service needs at run time from the built monorepo into an
// output tree with the same layout:
//
//   node infra/compose/image/collect-runtime.js @buergerservice/registration /runtime
//
// writes package.json and dist/ of the service and of every workspace package
// it depends on at run time ("dependencies", transitively), plus every
// workspace's package.json (so that `npm install --workspace` in the image
// sees the whole workspace set the lock file was written for). Sources, tests
// and devDependencies stay behind. Third-party packages are not copied: the
// image installs them with `npm install --omit=dev --workspace <service>`.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const [service, out] = process.argv.slice(2);
if (!service || !out) {
  process.stderr.write('usage: collect-runtime.js <workspace package name> <output directory>\n');
  process.exit(2);
}

const root = process.cwd();
const rootManifest = readJson(path.join(root, 'package.json'));
const workspaces = new Map();
for (const pattern of rootManifest.workspaces ?? []) {
  // The repository's patterns are "<folder>/*".
  if (!pattern.endsWith('/*')) throw new Error(`unsupported workspace pattern ${pattern}`);
  const folder = pattern.slice(0, -2);
  for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
    const manifest = path.join(root, folder, entry.name, 'package.json');
    if (entry.isDirectory() && fs.existsSync(manifest)) {
      workspaces.set(readJson(manifest).name, path.join(folder, entry.name));
    }
  }
}
if (!workspaces.has(service)) throw new Error(`${service} is not a workspace of ${root}`);

const needed = new Set();
const todo = [service];
while (todo.length > 0) {
  const name = todo.pop();
  if (needed.has(name)) continue;
  needed.add(name);
  const manifest = readJson(path.join(root, workspaces.get(name), 'package.json'));
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (workspaces.has(dep)) todo.push(dep);
  }
}

copy('package.json');
copy('package-lock.json');
for (const [name, dir] of workspaces) {
  copy(path.join(dir, 'package.json'));
  if (!needed.has(name)) continue;
  const dist = path.join(dir, 'dist');
  if (!fs.existsSync(path.join(root, dist))) throw new Error(`${name} has no dist/: build it first`);
  copy(dist);
}
process.stdout.write(`runtime of ${service}: ${[...needed].sort().join(', ')}\n`);

function copy(relative) {
  fs.cpSync(path.join(root, relative), path.join(out, relative), { recursive: true });
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
