/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped", after
 * Vitest's own report, so that CI logs can be read without ANSI colours, and
 * records the counts for CI's total (test-results/vitest-summary.json). A
 * config may name the line and the file: `[path, { label, file }]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private readonly label: string;
  private readonly file: string;
  constructor(options: { label?: string; file?: string } = {}) {
    this.label = options.label ?? 'tests';
    this.file = options.file ?? 'vitest-summary.json';
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of testModules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed to load, or whose beforeAll failed (its tests are then reported as skipped), counts as one failure.
      if (m.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${this.label}: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(`test-results/${this.file}`, JSON.stringify({ passed, failed, skipped }));
  }
}
