// Reads vitest's JSON report into the counts CI prints. vitest's own totals miss two kinds of failure that must
// still fail a line: a test file that never loaded (it has no failed test, only a failed file), and a run that
// exited non-zero for an error outside every test. Each of those counts as one failed test here.

import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * @typedef {object} Counts
 * @property {number} passed
 * @property {number} failed tests that failed, plus one per file that failed to load, plus one for a crashed run
 * @property {number} skipped skipped and todo tests
 * @property {number} files test files vitest reported on
 * @property {string[]} problems one line per failed test (file, name, first line of its message), per file that failed to load, and per crash
 */

/**
 * Counts from a vitest JSON report and the exit code of the run that wrote it.
 * @param {string} reportPath
 * @param {number} exitCode
 * @param {string} [root] test files are named relative to it
 * @returns {Counts}
 */
export function countsFromReport(reportPath, exitCode, root = process.cwd()) {
  if (!existsSync(reportPath)) {
    return {
      passed: 0,
      failed: 1,
      skipped: 0,
      files: 0,
      problems: [`no vitest report (exit code ${exitCode}): vitest did not finish`],
    };
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const results = Array.isArray(report.testResults) ? report.testResults : [];
  const problems = [];
  let failed = report.numFailedTests ?? 0;
  for (const file of results) {
    const assertions = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    for (const a of assertions) {
      if (a.status !== 'failed') continue;
      // The matrix at the end of CI is often all that is kept of a run: name each failure and its first line.
      const why = String(a.failureMessages?.[0] ?? '')
        .split('\n')[0]
        .slice(0, 200);
      problems.push(`${relative(root, String(file.name))} > ${a.fullName ?? a.title}: ${why}`);
    }
    if (file.status === 'failed' && !assertions.some((a) => a.status === 'failed')) {
      failed += 1;
      const why = String(file.message ?? '').split('\n')[0] || 'no message';
      problems.push(`${relative(root, String(file.name))}: the file failed outside its tests (${why})`);
    }
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    problems.push(`vitest exited ${exitCode} with no failed test: an unhandled error or a crash (see its output)`);
  }
  return {
    passed: report.numPassedTests ?? 0,
    failed,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    files: results.length,
    problems,
  };
}
