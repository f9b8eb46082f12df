// Debian's Chromium, headless, driven by playwright-core (no browser download here).
import { Browser, chromium, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Runs a command from the palette by its title, as a learner does. */
export async function runCommand(page: Page, title: string, timeoutMs = 45_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeoutMs;
  // Right after start-up the palette may open before extensions are scanned (the command is
  // not listed yet) or lose focus to a late notification: close it and try again.
  for (;;) {
    await page.keyboard.press('F1');
    const opened = await input.isVisible({ timeout: 3000 }).catch(() => false);
    if (opened && (await input.fill(`>${title}`, { timeout: 3000 }).then(() => true, () => false))) {
      // The palette can also close between finding the row and clicking it (focus taken by a
      // notification or a panel opening): then the click fails and the loop opens it again.
      if ((await row.isVisible({ timeout: 5000 }).catch(() => false)) && (await row.click({ timeout: 5000 }).then(() => true, () => false))) {
        return;
      }
    }
    if (Date.now() > deadline) throw new Error(`the command "${title}" did not appear in the command palette`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1000);
  }
}

/** Answers the workspace trust dialog, which appears a few seconds after the workbench. */
export async function answerTrust(page: Page, trust: boolean): Promise<void> {
  const label = trust ? 'Yes, I trust the authors' : "No, I don't trust the authors";
  const button = page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  await button.click();
  await button.waitFor({ state: 'hidden', timeout: 10_000 });
}
