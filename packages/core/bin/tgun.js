#!/usr/bin/env node
// Kept to syntax every Node since v12 parses, so an unsupported Node gets one clear line instead of a
// SyntaxError from deep inside the compiled code.
var parts = process.versions.node.split('.').map(Number);
var ok = parts[0] > 20 || (parts[0] === 20 && parts[1] >= 19);
if (!ok) {
  process.stderr.write('tgun needs Node >= 20.19; this is Node ' + process.versions.node + '\n');
  process.exit(1);
}
import('../dist/cli/main.js').then(function (m) {
  return m.main(process.argv.slice(2));
});
