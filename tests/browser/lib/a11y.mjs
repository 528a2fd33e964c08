// Accessibility scan with axe-core: serious and critical findings fail the test.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

export async function assertAccessible(page, screen) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length) {
    const report = blocking.map((v) => [
      `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\n/g, ' ')}`),
    ].join('\n')).join('\n');
    console.error(`axe on ${screen}:\n${report}`);
  }
  assert.equal(blocking.length, 0, `${screen}: ${blocking.map((v) => v.id).join(', ')}`);
}
