// The Node that `npm test` will run on (pretest, from scripts/provision.sh): npm scripts find `node`
// in node_modules/.bin first. When the one found is too old but the bundled runtime is installed,
// link it there, as npm 11 does itself (npm 10.9 installs node-<os>-<cpu> without linking its
// bin); when there is none, print the one line saying which Node is needed and exit 1.
// Plain JavaScript, so that any old Node parses it.
import { existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { relative } from 'node:path';
import { bundledNode, nodeProblem, packageFacts } from '../bin/node-check.js';

const facts = packageFacts();
const problem = nodeProblem(process.versions.node, process.execPath, facts, process.platform, process.arch);
const bundled = problem && bundledNode(facts);
if (problem && !bundled) {
  console.error(problem);
  process.exit(1);
}
if (bundled) {
  const dir = 'node_modules/.bin';
  const link = dir + '/node';
  mkdirSync(dir, { recursive: true });
  if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false })) unlinkSync(link);
  symlinkSync(relative(dir, bundled), link);
  console.error('provision: linked ' + link + ' to the bundled ' + bundled + ' (' + process.execPath + ' is ' + process.versions.node + ')');
}
